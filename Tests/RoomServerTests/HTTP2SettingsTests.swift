import Foundation
import SocketTransport
import Testing

@testable import RoomServer

/// The `http2.*` settings: defaults, parsing into the transport's
/// configuration, strict refusals naming the key, and the documentation.
@Suite struct HTTP2SettingsTests {
    func load(_ overrides: [String: String], environment: [String: String] = [:]) async throws -> ServerSettings {
        try await ServerSettings.load(configFile: nil, environment: environment, overrides: overrides)
    }

    @Test(
        "defaults: on, h2c from loopback, 100 streams, 16 KiB header lists, 100 resets and 1,000 idle frames per 10 s")
    func defaults() async throws {
        let http2 = try await load([:]).transport.http2
        #expect(http2 == HTTP2Configuration())
        #expect(http2.enabled && http2.cleartext == .loopback)
        #expect(http2.maxConcurrentStreams == 100 && http2.maxHeaderListSize == 16_384)
        #expect(http2.maxResetsPerWindow == 100 && http2.maxIdleFramesPerWindow == 1000)
        #expect(http2.floodWindow == .seconds(10) && http2.maxQueuedBytes == 4 << 20)
    }

    @Test("values from flags and the environment reach the transport")
    func values() async throws {
        let http2 = try await load(
            [
                "http2.enabled": "false", "http2.cleartext": "allowed", "http2.maxConcurrentStreams": "20",
                "http2.maxHeaderListBytes": "8192", "http2.maxResetsPerWindow": "5",
                "http2.maxIdleFramesPerWindow": "50", "http2.floodWindowSeconds": "2.5",
            ], environment: ["IOPD_HTTP2_MAX_QUEUED_BYTES": "1048576"]
        ).transport.http2
        #expect(!http2.enabled && http2.cleartext == .allowed)
        #expect(http2.maxConcurrentStreams == 20 && http2.maxHeaderListSize == 8192)
        #expect(http2.maxResetsPerWindow == 5 && http2.maxIdleFramesPerWindow == 50)
        #expect(http2.floodWindow == .milliseconds(2500) && http2.maxQueuedBytes == 1 << 20)
    }

    @Test("unusable values are refused, naming the key")
    func refusals() async throws {
        let cases: [([String: String], String)] = [
            (["http2.cleartext": "sometimes"], "http2.cleartext"),
            (["http2.maxConcurrentStreams": "0"], "http2.maxConcurrentStreams"),
            (["http2.maxConcurrentStreams": "5000"], "http2.maxConcurrentStreams"),
            (["http2.maxHeaderListBytes": "100"], "http2.maxHeaderListBytes"),
            (["http2.maxResetsPerWindow": "0"], "http2.maxResetsPerWindow"),
            (["http2.maxIdleFramesPerWindow": "-1"], "http2.maxIdleFramesPerWindow"),
            (["http2.floodWindowSeconds": "0"], "http2.floodWindowSeconds"),
            (["http2.maxQueuedBytes": "1000"], "http2.maxQueuedBytes"),
        ]
        await SettingsTesting.expectRefused(cases)
        await #expect(throws: SettingsError.self) { _ = try await load(["http2.enabled": "maybe"]) }
        await #expect(throws: SettingsError.self) { _ = try await load(["http2.maxStreams": "10"]) }
    }

    @Test("every http2 key is listed for iopd --help with its default, in OPERATIONS.md and Config/iopd.yaml")
    func documented() throws {
        let guide = try SettingsTesting.repositoryFile("docs/OPERATIONS.md")
        let yaml = try SettingsTesting.repositoryFile("Config/iopd.yaml")
        let keys = ServerSettings.keys.map(\.key).filter { $0.hasPrefix("http2.") }
        #expect(keys.count == 8)
        for key in keys {
            let value = try #require(ServerSettings.defaultValue(of: key), "\(key) has no default")
            let row = "| `\(key)` | `\(ServerSettings.environmentName(for: key))` | `\(value)` |"
            #expect(guide.contains(row), "\(key) missing from OPERATIONS.md")
            let leaf = String(key.split(separator: ".").last!)
            #expect(yaml.contains("  \(leaf): \(value) "), "\(key) missing from Config/iopd.yaml")
        }
    }
}
