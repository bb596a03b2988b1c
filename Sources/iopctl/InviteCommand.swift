import ArgumentParser
import Foundation
import OperatorClient

/// `iopctl invite <room> <member>`: a member's invitation for their whole
/// enrolment (docs/OPERATIONS.md, "Invitations"), printed or written to a
/// file (mode 0600); `--reissue` replaces an earlier one, `--revoke` withdraws them.
struct InviteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "Issue (or re-issue, or revoke) an enrolled member's invitation to a room's program.",
        discussion: """
            The invitation is a participant token with kind: invitation, valid from the enrolment date to the \
            discharge date (at most auth.maxInvitationLifetimeDays), accepted only while the roster has the \
            member enrolled. The token is shown once; the server keeps only its id.
            """)

    @Argument(help: "The room id.")
    var room: String

    @Argument(help: "The member id (on the room's roster).")
    var member: String

    @Option(help: "The alias the group will see.")
    var alias: String?

    @Option(help: "Write the token to this file (created with mode 0600) instead of printing it.")
    var output: String?

    @Flag(help: "Revoke the member's earlier invitations and issue a new one.")
    var reissue = false

    @Flag(help: "Revoke the member's invitations (their open connections close with 4006); issue none.")
    var revoke = false

    @OptionGroup var admin: AdminOptions

    func validate() throws {
        if revoke && (reissue || alias != nil || output != nil) {
            throw ValidationError("--revoke takes no --alias, --output or --reissue")
        }
        if !revoke && (alias ?? "").isEmpty { throw ValidationError("--alias is required to issue an invitation") }
    }

    func run() async throws {
        let member = ProgramCommand.encoded(member)
        try await reportingFailures {
            let client = try admin.client()
            if revoke {
                let outcome = try await client.post("/v1/admin/rooms/\(room)/uninvite?member=\(member)")
                print(outcome.alreadyRevoked == true ? "no open invitation" : "invitations revoked")
                return
            }
            var query = "member=\(member)&alias=\(ProgramCommand.encoded(alias ?? ""))"
            if reissue { query += "&reissue=true" }
            let data = try await client.postRaw("/v1/admin/rooms/\(room)/invite?\(query)")
            guard let answer = try? JSONDecoder().decode(Answer.self, from: data) else {
                throw AdminClientError(status: nil, code: "bad_answer", message: "unexpected JSON from the server")
            }
            try emit(answer.token)
            FileHandle.standardError.write(Data("token id: \(answer.tokenID)\n".utf8))
        }
    }

    /// Prints the token, or writes it to `--output`, created anew with mode 0600 (an earlier file is replaced).
    private func emit(_ token: String) throws {
        guard let output else { return print(token) }
        try? FileManager.default.removeItem(atPath: output)
        guard
            FileManager.default.createFile(
                atPath: output, contents: Data((token + "\n").utf8), attributes: [.posixPermissions: 0o600])
        else { throw ValidationError("cannot write --output \(output)") }
    }

    private struct Answer: Decodable {
        var token: String
        var tokenID: String
        enum CodingKeys: String, CodingKey {
            case token
            case tokenID = "token_id"
        }
    }
}
