import RoomServer
import ServerTestSupport
import Testing
import TransportTestSupport

/// `limits.memoryBudgetBytes` and `/echo`'s defaults (issue 18, item 1).
@Suite struct MemoryBudgetSettingsTests {
    @Test(arguments: ["0", "-5"])
    func aBudgetThatIsNotPositiveStopsStartUpNamingTheKey(value: String) async throws {
        await #expect(throws: SettingsError.outOfRange("limits.memoryBudgetBytes", "> 0")) {
            _ = try await ServerSettings.load(
                configFile: nil, environment: [:], overrides: ["limits.memoryBudgetBytes": value])
        }
    }

    @Test func theBudgetIsReadFromTheEnvironmentAndHasADocumentedDefault() async throws {
        #expect(ServerSettings().transport.memoryBudgetBytes == 256 << 20)
        #expect(ServerSettings.defaultValue(of: "limits.memoryBudgetBytes") == "268435456")
        let settings = try await ServerSettings.load(
            configFile: nil, environment: ["IOPD_LIMITS_MEMORY_BUDGET_BYTES": "1048576"], overrides: [:])
        #expect(settings.transport.memoryBudgetBytes == 1 << 20)
    }

    @Test func echoIsOffByDefaultAndSmall() async throws {
        let defaults = ServerSettings()
        #expect(!defaults.echoEnabled)
        #expect(defaults.echoLimits.maxMessageLength == 64 << 10)
        let loaded = try await ServerSettings.load(configFile: "Config/iopd.yaml", environment: [:], overrides: [:])
        #expect(!loaded.echoEnabled, "the shipped configuration keeps /echo off")
        let harness = try await ServerHarness(settings: ServerSettings())
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        #expect(socket.upgrade().hasPrefix("HTTP/1.1 404"))
    }
}
