import Foundation
import SocketTransport
import TestSupportCore
import Testing
import TransportTestSupport
import WebSocketCore

/// wss: our client against our server over loopback, with the certificates
/// `Scripts/dev-cert` makes; every refusal names its reason.
@Suite(.serialized) struct TLSEndToEndTests {
    func harness(certificate: String = "server", transport: TransportConfiguration? = nil) async throws -> EchoHarness {
        var settings = EchoSettings.echoTesting
        settings.tls = try DevCertificates.server(certificate)
        if let transport { settings.transport = transport }
        return try EchoHarness(settings: settings)
    }

    /// Waits (bounded) until `counter` reaches `value`.
    func eventually(_ counter: @autoclosure () -> Int, reaches value: Int) -> Bool {
        for _ in 0..<200 {
            if counter() >= value { return true }
            usleep(10_000)
        }
        return false
    }

    @Test func wssEchoesAndCloses() async throws {
        let harness = try await harness()
        defer { harness.stop() }
        #expect(harness.server.usesTLS)
        let client = try await TestClient.connect(port: harness.port, tls: try DevCertificates.client())
        client.send(text: "héllo ☃ over TLS")
        await #expect(client.nextMessage() == .text("héllo ☃ over TLS"))
        client.send(.binary([0, 1, 2, 255]))
        await #expect(client.nextMessage() == .binary([0, 1, 2, 255]))
        client.close(code: .normalClosure)
        await #expect(client.waitForClose() == .some(.normalClosure))
        #expect(harness.server.statistics.tlsHandshakesCompleted.load(ordering: .relaxed) == 1)
    }

    @Test func wssEchoes16MiBMessage() async throws {
        let harness = try await harness()
        defer { harness.stop() }
        let client = try await TestClient.connect(port: harness.port, tls: try DevCertificates.client())
        var generator = SplitMix64(seed: 17)
        let big = (0..<(16 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        client.send(.binary(big))
        await #expect(client.nextMessage(timeout: .seconds(60)) == .binary(big))
    }

    @Test func manyWssClients() async throws {
        let harness = try await harness()
        defer { harness.stop() }
        var clients: [TestClient] = []
        for _ in 0..<20 {
            clients.append(try await TestClient.connect(port: harness.port, tls: try DevCertificates.client()))
        }
        for (index, client) in clients.enumerated() { client.send(text: "client \(index)") }
        for (index, client) in clients.enumerated() { await #expect(client.nextMessage() == .text("client \(index)")) }
    }

    @Test(arguments: [
        ("untrusted", "ca.pem", TLSError.unknownAuthority, "not signed by a trusted certificate authority"),
        ("server", "other-ca.pem", TLSError.unknownAuthority, "not signed by a trusted certificate authority"),
        ("wronghost", "ca.pem", TLSError.hostnameMismatch, "for a different host name"),
        ("expired", "ca.pem", TLSError.expired, "has expired"),
    ])
    func clientRefusesBadCertificate(certificate: String, trusted: String, expected: TLSError, words: String)
        async throws
    {
        let harness = try await harness(certificate: certificate)
        defer { harness.stop() }
        do {
            _ = try await TestClient.connect(port: harness.port, tls: try DevCertificates.client(trusting: trusted))
            Issue.record("connected despite a bad certificate (\(certificate))")
        } catch let error as WebSocketClientError {
            #expect(error.tlsError == expected)
            #expect(error.description.contains(words), "\(error)")
        }
        // No server-side count here: the client may close before reading the
        // server's whole flight, and the reset then overtakes its alert.
    }

    @Test func systemTrustStoreDoesNotKnowTheDevCA() async throws {
        let harness = try await harness()
        defer { harness.stop() }
        do {
            _ = try await TestClient.connect(port: harness.port, tls: TLSClientConfiguration())
            Issue.record("the system store trusted the dev CA")
        } catch let error as WebSocketClientError {
            #expect(error.tlsError == .unknownAuthority)
        }
    }

    @Test func serverNameIsCheckedInsteadOfTheAddress() async throws {
        let harness = try await harness()
        defer { harness.stop() }
        var tls = try DevCertificates.client()
        tls.serverName = "localhost"  // SNI and the name check, while connecting to 127.0.0.1
        let client = try await TestClient.connect(port: harness.port, tls: tls)
        client.send(text: "by name")
        await #expect(client.nextMessage() == .text("by name"))
        tls.serverName = "elsewhere.example"
        await #expect(throws: WebSocketClientError.tls(.hostnameMismatch)) {
            _ = try await TestClient.connect(port: harness.port, tls: tls)
        }
    }

    @Test func insecureSkipVerificationIsExplicit() async throws {
        let harness = try await harness(certificate: "wronghost")
        defer { harness.stop() }
        #expect(TLSClientConfiguration().insecureSkipVerification == false)
        let client = try await TestClient.connect(port: harness.port, tls: .insecureSkipVerification)
        client.send(text: "unverified")
        await #expect(client.nextMessage() == .text("unverified"))
    }

    @Test func plainClientOnTLSPortIsRefusedAndCounted() async throws {
        let harness = try await harness()
        defer { harness.stop() }
        await #expect(throws: WebSocketClientError.self) {
            _ = try await TestClient.connect(port: harness.port, timeout: .seconds(5))
        }
        let statistics = harness.server.statistics
        #expect(eventually(statistics.tlsHandshakeFailures.load(ordering: .relaxed), reaches: 1))
        #expect(harness.server.statistics.upgradedConnections.load(ordering: .relaxed) == 0)
    }

    @Test func silentPeerTimesOutDuringHandshake() async throws {
        var transport = TransportConfiguration()
        transport.handshakeTimeout = .milliseconds(500)
        let harness = try await harness(transport: transport)
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        let outcome = socket.readUntilClosed(timeout: .seconds(5))
        #expect(outcome.closed)
        #expect(outcome.bytes.isEmpty)
        #expect(harness.server.statistics.timedOut.load(ordering: .relaxed) == 1)
    }

    @Test func clientReportsUnreadableCAFile() async throws {
        let harness = try await harness()
        defer { harness.stop() }
        let tls = TLSClientConfiguration(trustedCAFile: "/nonexistent/ca.pem")
        await #expect(throws: WebSocketClientError.tls(.unusableFiles)) {
            _ = try await TestClient.connect(port: harness.port, tls: tls)
        }
    }
}
