import RoomServer
import SocketTransport
import Testing

/// The per-address limits as `iopd` reads and exports them (the limits
/// themselves are tested against a real transport in SocketTransportEndToEndTests).
@Suite struct AddressLimitTests {
    @Test func settingsReadAndValidateThePerAddressKeys() async throws {
        let settings = try await ServerSettings.load(
            configFile: nil, environment: ["IOPD_LIMITS_MAX_CONNECTIONS_PER_ADDRESS": "7"],
            overrides: ["limits.handshakesPerSecondPerAddress": "2.5", "limits.handshakeBurstPerAddress": "9"])
        #expect(settings.transport.maxConnectionsPerAddress == 7)
        #expect(settings.transport.handshakesPerSecondPerAddress == 2.5)
        #expect(settings.transport.handshakeBurstPerAddress == 9)
        let defaults = ServerSettings()
        #expect(defaults.transport.maxConnectionsPerAddress == 1024)
        #expect(defaults.transport.handshakesPerSecondPerAddress == 100)
        #expect(defaults.transport.handshakeBurstPerAddress == 1024)
        for key in [
            "limits.maxConnectionsPerAddress", "limits.handshakesPerSecondPerAddress",
            "limits.handshakeBurstPerAddress",
        ] {
            #expect(ServerSettings.keys.contains { $0.key == key })
        }
        await #expect(throws: SettingsError.self) {
            _ = try await ServerSettings.load(
                configFile: nil, environment: [:], overrides: ["limits.maxConnectionsPerAddress": "-1"])
        }
        await #expect(throws: SettingsError.self) {
            _ = try await ServerSettings.load(
                configFile: nil, environment: [:], overrides: ["limits.handshakeBurstPerAddress": "0"])
        }
    }

    @Test func refusalsAreExportedWithoutAddresses() async throws {
        let statistics = TransportStatistics()
        statistics.refusedAddressConnections.add(3, ordering: .relaxed)
        statistics.refusedAddressHandshakeRate.add(2, ordering: .relaxed)
        let text = ServerMetrics().exposition(
            MetricSources(transport: statistics, rooms: [], authFailures: AuthFailureCounts()))
        #expect(text.contains(#"iop_handshakes_refused_total{reason="address_connections"} 3"#))
        #expect(text.contains(#"iop_handshakes_refused_total{reason="address_rate"} 2"#))
        #expect(!text.contains("127.0.0.1"))
    }
}
