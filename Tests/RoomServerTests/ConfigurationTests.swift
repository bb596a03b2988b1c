import Foundation
import Logging
import RoomCore
import Testing

@testable import RoomServer

@Suite struct ConfigurationTests {
    @Test func everySettingHasADefaultAndARowInTheOperationsGuide() throws {
        let guide = try String(contentsOfFile: "docs/OPERATIONS.md", encoding: .utf8)
        #expect(Set(ServerSettings.keys.map(\.key)).count == ServerSettings.keys.count, "no key listed twice")
        for (key, _) in ServerSettings.keys {
            let fallback = try #require(ServerSettings.defaultValue(of: key), "\(key) has no default listed")
            let row = "| `\(key)` | `\(ServerSettings.environmentName(for: key))` | `\(fallback)` |"
            #expect(guide.contains(row), "docs/OPERATIONS.md lacks \(row) (Scripts/settings-table)")
        }
    }

    @Test func catalogueFileMatchesTheEmbeddedStandard() throws {
        let loaded = try ActivityCatalogue.load(path: "Config/catalogue.yaml")
        #expect(loaded == ActivityCatalogue.standard)
    }

    @Test func roomsFileDefinesTheSampleRoomsWithItsAgreement() throws {
        let rooms = try RoomCatalogue.load(path: "Config/rooms.yaml")
        #expect(rooms.map(\.definition.id) == RoomCatalogue.samples.map(\.definition.id))
        #expect(rooms.allSatisfy { $0.agreement.version == "2026-11" })
        #expect(rooms[0].definition.policy == RoomPolicy())
        #expect(rooms.allSatisfy { $0.exercises == ExerciseCatalogue.standard })
    }

    @Test func missingFilesFallBackToEmbeddedDefaults() throws {
        #expect(try RoomCatalogue.load(path: "/nonexistent/rooms.yaml") == RoomCatalogue.samples)
        #expect(try ActivityCatalogue.load(path: "/nonexistent/catalogue.yaml") == .standard)
    }

    @Test func badRoomKindIsNamed() throws {
        let path = NSTemporaryDirectory() + "rooms-\(UUID().uuidString).yaml"
        try "rooms:\n  - {id: x, title: X, kind: party, capacity: 3}\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: SettingsError.outOfRange("rooms[x].kind", "process, skills, family, individual")) {
            try RoomCatalogue.load(path: path)
        }
    }

    /// The rooms file, like the settings: a typo or a duplicate is named, not ignored.
    @Test(arguments: [
        (
            "rooms:\n  - {id: x, title: X, kind: process, capacity: 3, policy: {autoAdmitt: true}}\n",
            "unknown setting rooms[x].policy.autoAdmitt in PATH; did you mean rooms[x].policy.autoAdmit?"
        ),
        (
            "rooms:\n  - {id: x, title: X, kind: process, capacty: 3}\n",
            "unknown setting rooms[x].capacty in PATH; did you mean rooms[x].capacity?"
        ),
        ("agreemnt: {version: a, text: b}\nrooms: []\n", "unknown setting agreemnt in PATH; did you mean agreement?"),
        (
            "rooms:\n  - {id: x, title: X, kind: process, capacity: 3}\n  - {id: x, title: Y, kind: skills, capacity: 3}\n",
            "setting rooms[x].id must be unique (two rooms have this id)"
        ),
        (
            "rooms:\n  - {id: x, title: X, kind: process, capacity: 3, policy: {maximumMessageLength: 0}}\n",
            "setting rooms[x].policy.maximumMessageLength must be 1...16000"
        ),
    ])
    func roomsFileMistakesAreNamed(yaml: String, message: String) throws {
        let path = NSTemporaryDirectory() + "rooms-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = #expect(throws: SettingsError.self) { try RoomCatalogue.load(path: path) }
        let expected = message.replacingOccurrences(of: "PATH", with: path)
        #expect(error?.description.hasPrefix(expected) == true, "\(error?.description ?? "no error")")
    }

    @Test func precedenceIsDefaultsFileEnvironmentFlags() async throws {
        let path = NSTemporaryDirectory() + "iopd-\(UUID().uuidString).yaml"
        try "server:\n  port: 9001\n  host: 127.0.0.2\nlog:\n  level: debug\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fileOnly = try await ServerSettings.load(configFile: path, environment: [:], overrides: [:])
        #expect(fileOnly.port == 9001)
        #expect(fileOnly.logLevel == "debug")
        #expect(!fileOnly.echoEnabled)  // /echo is off unless the operator turns it on
        let environment = try await ServerSettings.load(
            configFile: path, environment: ["IOPD_SERVER_PORT": "9002"], overrides: [:])
        #expect(environment.port == 9002)
        #expect(environment.host == "127.0.0.2")
        let flags = try await ServerSettings.load(
            configFile: path, environment: ["IOPD_SERVER_PORT": "9002"], overrides: ["server.port": "0"])
        #expect(flags.port == 0)
        await #expect(throws: SettingsError.self) {
            _ = try await ServerSettings.load(configFile: nil, environment: [:], overrides: ["server.port": "70000"])
        }
    }

    /// Each of these used to start the server on the defaults without a word.
    @Test(arguments: [
        (["no.such.key": "1"], SettingsError.unknownKey("no.such.key", source: "--set", suggestion: nil)),
        (
            ["limits.maxConection": "1"],
            SettingsError.unknownKey("limits.maxConection", source: "--set", suggestion: "limits.maxConnections")
        ),
        (
            ["limits.maxConnections": "abc"],
            .badValue("limits.maxConnections", expected: "a whole number such as 16384")
        ),
        (["server.compression": "maybe"], .badValue("server.compression", expected: "true or false")),
        (
            ["rooms.idleLogoffMinutes": "45m"],
            .badValue("rooms.idleLogoffMinutes", expected: "a number such as 45 or 1.5 (no unit)")
        ),
    ])
    func badFlagsAreRefusedNamingTheKey(overrides: [String: String], refusal: SettingsError) async throws {
        await #expect(throws: refusal) {
            _ = try await ServerSettings.load(configFile: nil, environment: [:], overrides: overrides)
        }
    }

    @Test func yamlTyposAndBadValuesAreRefusedNamingTheKey() async throws {
        let path = NSTemporaryDirectory() + "iopd-\(UUID().uuidString).yaml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "limits:\n  maxConnection: 100\n".write(toFile: path, atomically: true, encoding: .utf8)
        await #expect(
            throws: SettingsError.unknownKey("limits.maxConnection", source: path, suggestion: "limits.maxConnections")
        ) {
            _ = try await ServerSettings.load(configFile: path, environment: [:], overrides: [:])
        }
        try "rooms:\n  idleLogoffMinutes: 45m\n".write(toFile: path, atomically: true, encoding: .utf8)
        await #expect(
            throws: SettingsError.badValue("rooms.idleLogoffMinutes", expected: "a number such as 45 or 1.5 (no unit)")
        ) {
            _ = try await ServerSettings.load(configFile: path, environment: [:], overrides: [:])
        }
    }

    @Test func environmentTyposAndBadValuesAreRefusedButOtherVariablesAreNot() async throws {
        let typo = ["IOPD_LIMITS_MAX_CONECTIONS": "5"]
        await #expect(
            throws: SettingsError.unknownKey(
                "IOPD_LIMITS_MAX_CONECTIONS", source: "the environment", suggestion: "IOPD_LIMITS_MAX_CONNECTIONS")
        ) {
            _ = try await ServerSettings.load(configFile: nil, environment: typo, overrides: [:])
        }
        await #expect(throws: SettingsError.badValue("server.echo", expected: "true or false")) {
            _ = try await ServerSettings.load(
                configFile: nil, environment: ["IOPD_SERVER_ECHO": "maybe"], overrides: [:])
        }
        // Not a settings section (the test harness's IOPD_BIN), nor IOPD at all: not settings.
        let unrelated = try await ServerSettings.load(
            configFile: nil, environment: ["IOPD_BIN": "/bin/true", "PATH": "/bin"], overrides: [:])
        #expect(unrelated.port == 8080)
    }

    @Test func theShippedConfigurationFileIsReadStrictlyAsTheDefaults() async throws {
        let shipped = try await ServerSettings.load(configFile: "Config/iopd.yaml", environment: [:], overrides: [:])
        #expect(shipped.port == 8080)
        #expect(shipped.attendance.minimumHoursPerDay == 3)
        #expect(shipped.tokenLifetimes == TokenLifetimes())
    }

    @Test func everyKeyTheLoaderReadsIsInTheTable() {
        let read = ServerSettings.keysTheLoaderReads()
        #expect(read.count >= ServerSettings.keys.count - 1)
        #expect(read.subtracting(ServerSettings.keys.map(\.key)).isEmpty)
    }

    @Test func aSecondServerOnTheFolderNamesTheLockNotAConfigurationFile() throws {
        let folder = NSTemporaryDirectory() + "lock-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try DatabaseRecordStore.sqlite(dataDirectory: folder, logger: Logger(label: "test"))
        defer { withExtendedLifetime(first) {} }
        let error = #expect(throws: SettingsError.self) {
            _ = try DatabaseRecordStore.sqlite(dataDirectory: folder, logger: Logger(label: "test"))
        }
        let message = error?.description ?? ""
        #expect(message.contains("data folder lock") && message.contains("another iopd is using this data folder"))
        #expect(!message.contains("configuration file"), "\(message)")
    }

    /// The systemd unit and both places in the guide give the same drain: the stop
    /// timeout covers both grace periods (they once named only one of them).
    @Test func theStopTimeoutCoversBothGracePeriodsEverywhere() async throws {
        let unit = try String(contentsOfFile: "Config/iopd.service", encoding: .utf8)
        let timeoutLine = try #require(unit.split(separator: "\n").first { $0.hasPrefix("TimeoutStopSec=") })
        let timeout = try #require(Double(timeoutLine.dropFirst("TimeoutStopSec=".count)))
        let shipped = try await ServerSettings.load(configFile: "Config/iopd.yaml", environment: [:], overrides: [:])
        let grace = shipped.drainGracePeriod + shipped.shutdownGracePeriod
        #expect(Duration.seconds(timeout) > grace + .seconds(5), "TimeoutStopSec \(timeout) s vs grace \(grace)")
        let guide = try String(contentsOfFile: "docs/OPERATIONS.md", encoding: .utf8)
        for heading in ["## Running under systemd", "## Draining"] {
            let start = try #require(guide.range(of: "\n" + heading + "\n"))
            let section = guide[start.upperBound...]
            let body = section.range(of: "\n## ").map { section[..<$0.lowerBound] } ?? section
            #expect(
                body.contains("server.drainGraceSeconds") && body.contains("server.shutdownGraceSeconds"), "\(heading)")
            #expect(body.contains("TimeoutStopSec") && body.contains("sum of the two"), "\(heading)")
        }
        #expect(unit.contains("server.drainGraceSeconds") && unit.contains("server.shutdownGraceSeconds"))
    }

    @Test func environmentNamesFollowTheKeys() {
        #expect(ServerSettings.environmentName(for: "limits.maxFrameBytes") == "IOPD_LIMITS_MAX_FRAME_BYTES")
        #expect(ServerSettings.environmentName(for: "server.port") == "IOPD_SERVER_PORT")
    }
}
