import RoomServer
import SocketTransport
import Testing

/// Plain ws:// only on loopback unless the operator allows it; TLS needs both files.
@Suite struct TLSSettingsTests {
    @Test(arguments: ["0.0.0.0", "::", "192.0.2.10", "example.org"])
    func plainOnNonLoopbackIsRefused(host: String) {
        var settings = ServerSettings()
        settings.host = host
        #expect(throws: SettingsError.insecureListener(host)) { try settings.validate() }
        #expect(SettingsError.insecureListener(host).description.contains("server.allowInsecure"))
    }

    @Test(arguments: ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
    func plainOnLoopbackIsAllowed(host: String) throws {
        var settings = ServerSettings()
        settings.host = host
        try settings.validate()
    }

    @Test func allowInsecureOrTLSLetsItListenAnywhere() throws {
        var settings = ServerSettings()
        settings.host = "0.0.0.0"
        settings.allowInsecure = true
        try settings.validate()
        settings.allowInsecure = false
        settings.tls = TLSConfiguration(certificateChainFile: "c.pem", privateKeyFile: "k.pem")
        try settings.validate()
    }

    @Test func loadReadsTLSKeys() async throws {
        let settings = try await ServerSettings.load(
            configFile: nil, environment: ["IOPD_TLS_PRIVATE_KEY_FILE": "k.pem"],
            overrides: ["tls.certificateFile": "c.pem", "server.host": "0.0.0.0"])
        #expect(settings.tls == TLSConfiguration(certificateChainFile: "c.pem", privateKeyFile: "k.pem"))
        #expect(settings.allowInsecure == false)
    }

    @Test func loadRefusesHalfATLSConfiguration() async throws {
        await #expect(throws: SettingsError.incompleteTLS(missing: "tls.privateKeyFile")) {
            _ = try await ServerSettings.load(
                configFile: nil, environment: [:], overrides: ["tls.certificateFile": "c.pem"])
        }
    }

    @Test func loadReadsAllowInsecure() async throws {
        let settings = try await ServerSettings.load(
            configFile: nil, environment: [:], overrides: ["server.host": "0.0.0.0", "server.allowInsecure": "true"])
        #expect(settings.allowInsecure)
    }
}
