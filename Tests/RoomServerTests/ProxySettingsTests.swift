import Foundation
import SocketTransport
import Testing

@testable import RoomServer

/// `server.trustedProxies`: off by default, a list from YAML, flags or the
/// environment, and a bad entry refused at start-up naming the key.
@Suite struct ProxySettingsTests {
    func load(
        _ overrides: [String: String], environment: [String: String] = [:], file: String? = nil
    ) async throws -> ServerSettings {
        try await ServerSettings.load(configFile: file, environment: environment, overrides: overrides)
    }

    @Test("default: no proxy is trusted, the PROXY protocol is off")
    func defaultIsOff() async throws {
        let settings = try await load([:])
        #expect(settings.transport.trustedProxies.isEmpty)
        #expect(ServerSettings.defaultValue(of: "server.trustedProxies") == "(none)")
    }

    @Test("a comma-separated list on a flag or in the environment; a YAML list in the file")
    func values() async throws {
        let peer = try SocketAddress(host: "10.0.1.77", port: 1)
        let loopback = try SocketAddress(host: "127.0.0.1", port: 1)
        let loopback6 = try SocketAddress(host: "::1", port: 1)
        let outside = try SocketAddress(host: "10.0.2.1", port: 1)
        let flag = try await load(["server.trustedProxies": "127.0.0.1,10.0.1.0/24"]).transport.trustedProxies
        #expect(flag.contains(peer) && flag.contains(loopback))
        let environment = try await load([:], environment: ["IOPD_SERVER_TRUSTED_PROXIES": "10.0.1.0/24, fd00::/8"])
        #expect(environment.transport.trustedProxies.contains(peer))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("proxies-\(UUID()).yaml")
        try "server:\n  trustedProxies: [10.0.1.0/24, \"::1\"]\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let yaml = try await load([:], file: file.path).transport.trustedProxies
        #expect(yaml.contains(peer) && yaml.contains(loopback6))
        #expect(!yaml.contains(outside) && !yaml.contains(loopback))
    }

    @Test("an entry that is no address or CIDR block is refused, naming the key and the entry")
    func refusals() async throws {
        for bad in ["proxy.example", "10.0.0.0/40", "127.0.0.1,not-an-address"] {
            do {
                _ = try await load(["server.trustedProxies": bad])
                Issue.record("\(bad) was accepted")
            } catch let error as SettingsError {
                #expect(error.description.contains("server.trustedProxies"), "\(error)")
            }
        }
    }

    @Test("the key is in --help, docs/OPERATIONS.md and Config/iopd.yaml")
    func documented() throws {
        let guide = try SettingsTesting.repositoryFile("docs/OPERATIONS.md")
        let yaml = try SettingsTesting.repositoryFile("Config/iopd.yaml")
        #expect(ServerSettings.keys.contains { $0.key == "server.trustedProxies" })
        #expect(guide.contains("| `server.trustedProxies` | `IOPD_SERVER_TRUSTED_PROXIES` | `(none)` |"))
        #expect(yaml.contains("  trustedProxies: []"))
        #expect(guide.contains("iop_proxy_header_failures_total"))
    }
}
