import ArgumentParser
import Foundation
import OperatorClient
import RoomProtocol
import RoomServer

/// `iopctl`: the operator's command line. Argument parsing only.
@main
struct IOPCTL: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "iopctl",
        abstract: "Operate a VirtualIOP server.",
        subcommands: [
            Token.self, Audit.self, Attendance.self, RoomsCommand.self, RoomCommand.self, CloseRoomCommand.self,
            DrainCommand.self,
            TopCommand.self, ProgramCommand.self, InviteCommand.self, CreateRoomCommand.self, ChangeRoomCommand.self,
        ])
}

/// `iopctl token ...`
struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue and revoke signed tokens.", subcommands: [Issue.self, Revoke.self])
}

/// `iopctl token issue`: prints a signed token for one member of one room.
struct Issue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a signed token that admits one member to one room.",
        discussion: """
            The token is signed with the server's secret: auth.secret (IOPD_AUTH_SECRET) if
            set, else the file the server created in its data folder (--data-dir, else
            server.dataDirectory from --config or IOPD_SERVER_DATA_DIRECTORY, else ./data).
            It never creates a secret. The lifetime is bounded by auth.maxTokenLifetimeHours
            (operators: auth.maxOperatorTokenLifetimeHours). Give the token to the member
            privately; it goes in the Authorization header, never in a URL.
            """)

    @Option(help: "Room id, as in Config/rooms.yaml (operator tokens: `*`, the default for them).")
    var room: String?

    @Option(help: "participant, facilitator or operator (admin API only, never a room).")
    var role: String

    @Option(
        help: """
            The name the group will see (for an operator: the operator's name): 1-32 characters, no control, \
            format or bidi characters, no [ ], single spaces inside only; a participant's names no staff role.
            """)
    var alias: String

    @Flag(help: "Also print the token's id (jti) on stderr, for `iopctl token revoke`.")
    var showID = false

    @Option(help: "Lifetime, e.g. 90m, 4h, 2d; at most the server's maximum (24h for members by default).")
    var ttl = "4h"

    @Option(help: "Opaque member id (default: a new random one). Reuse it to let a person resume.")
    var member: String?

    @Option(help: "The server's data folder (where its signing secret lives); default: as the server reads it.")
    var dataDir: String?

    @Option(help: "YAML configuration file, as for iopd (server.dataDirectory, auth.*; missing is fine).")
    var config = "Config/iopd.yaml"

    func validate() throws {
        guard ["participant", "facilitator", TokenAuthority.operatorRole].contains(role) else {
            throw ValidationError("--role must be participant, facilitator or operator")
        }
        if role == TokenAuthority.operatorRole {
            guard room == nil || room == "*" else { throw ValidationError("an operator token is for room `*` only") }
        } else if room == nil {
            throw ValidationError("--room is required for participant and facilitator tokens")
        }
        if let problem = TokenAlias.problem(alias, role: role) { throw ValidationError("--alias \(problem)") }
        guard TimeToLive.parse(ttl) != nil else { throw ValidationError("--ttl must look like 90m, 4h or 2d") }
    }

    func run() async throws {
        let settings = try await ServerSettings.forCommand(configFile: config)
        let seconds = TimeToLive.parse(ttl) ?? 4 * 3600
        let maximum = settings.tokenLifetimes.maximum(forRole: role)
        guard seconds <= maximum else {
            let key =
                role == TokenAuthority.operatorRole
                ? "auth.maxOperatorTokenLifetimeHours" : "auth.maxTokenLifetimeHours"
            throw ValidationError("--ttl may be at most \(Int(maximum / 3600))h for this role (the server's \(key))")
        }
        let secret = try SigningSecret.read(
            configured: settings.authSecret, dataDirectory: dataDir ?? settings.dataDirectory)
        let authority = await TokenAuthority(secret: secret, lifetimes: settings.tokenLifetimes)
        let claims = TokenClaims.issuing(
            role: role, room: room, alias: alias, member: member, lifetime: seconds, now: Date())
        print(try await authority.issue(claims))
        if showID { FileHandle.standardError.write(Data("token id: \(claims.tokenID.value)\n".utf8)) }
    }
}

/// `90m`, `4h`, `2d` or plain seconds.
enum TimeToLive {
    static func parse(_ text: String) -> TimeInterval? {
        guard let unit = text.last else { return nil }
        let scale: Double
        var digits = Substring(text)
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86400
        default: scale = 1; digits = digits + ""
        }
        if unit.isLetter { digits = digits.dropLast() }
        guard let value = Double(digits), value > 0, value.isFinite else { return nil }
        return value * scale
    }
}

/// `iopctl audit ...`
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the tamper-evident records.", subcommands: [VerifyAudit.self])
}

/// `iopctl audit verify`: recomputes the attendance, moderation and program hash chains
/// in the records database the server's settings name (SQLite or PostgreSQL), or has
/// a node do it through its admin API (`--server`).
struct VerifyAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Prove the audit and attendance chains intact, or name the first broken record.",
        discussion: "Exit status 0 when intact, 1 when a record was edited, deleted or reordered.")

    @Option(help: "The server's data folder (where records.sqlite lives); default server.dataDirectory.")
    var dataDir: String?

    @Option(help: "YAML configuration file, as for iopd (records.* settings).")
    var config = "Config/iopd.yaml"

    @OptionGroup var source: RecordsSourceOptions

    func run() async throws {
        if let client = try source.client() {
            try await reportingFailures {
                let answer = try await client.get("/v1/admin/audit", as: AdminAuditVerification.self)
                let counts = answer.rowsChecked.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
                if let broken = answer.firstBreak {
                    print("broken: \(broken) (intact before it: \(counts.joined(separator: ", ")))")
                    throw ExitCode.failure
                }
                print("intact: \(counts.joined(separator: ", ")) rows")
            }
            return
        }
        let settings = try await ServerSettings.forCommand(configFile: config)
        let result: ChainVerification
        do {
            result = try RecordChain.verify(RecordsLocation.configured(by: settings, dataDirectory: dataDir))
        } catch let error as SettingsError {
            throw ValidationError("\(error)")
        }
        let counts = result.rowsChecked.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        if let broken = result.firstBreak {
            print("broken: \(broken) (intact before it: \(counts.joined(separator: ", ")))")
            throw ExitCode.failure
        }
        print("intact: \(counts.joined(separator: ", ")) rows")
    }
}
