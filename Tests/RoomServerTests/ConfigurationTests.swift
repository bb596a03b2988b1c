import Foundation
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

    @Test func environmentNamesFollowTheKeys() {
        #expect(ServerSettings.environmentName(for: "limits.maxFrameBytes") == "IOPD_LIMITS_MAX_FRAME_BYTES")
        #expect(ServerSettings.environmentName(for: "server.port") == "IOPD_SERVER_PORT")
    }
}
