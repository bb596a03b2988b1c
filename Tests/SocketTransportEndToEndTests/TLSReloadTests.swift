import Foundation
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

/// Certificate reload (SIGHUP in iopd): new connections get the new
/// certificate, open ones are untouched, a broken file changes nothing.
@Suite(.serialized) struct TLSReloadTests {
    @Test func reloadServesNewCertificateWithoutDroppingConnections() async throws {
        let folder = NSTemporaryDirectory() + "iop-reload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let chain = folder + "/chain.pem"
        let key = folder + "/key.pem"
        func install(_ name: String) throws {
            for (source, target) in [("\(name).pem", chain), ("\(name).key", key)] {
                try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: try DevCertificates.path(source), toPath: target)
            }
        }
        try install("server")
        let server = WebSocketServer(
            router: EchoRouter(), logger: .init(label: "test"))
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        try server.configureTLS(TLSConfiguration(certificateChainFile: chain, privateKeyFile: key))
        let port = try server.bind(host: "127.0.0.1", port: 0).port
        let tls = try DevCertificates.client()

        let early = try await TestClient.connect(port: port, tls: tls)
        try install("wronghost")
        try server.reloadTLS()
        early.send(text: "still here")
        await #expect(early.nextMessage() == .text("still here"))
        await #expect(throws: WebSocketClientError.tls(.hostnameMismatch)) {
            _ = try await TestClient.connect(port: port, tls: tls)
        }

        try install("server")
        try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: chain))
        #expect(throws: TLSError.unusableFiles) { try server.reloadTLS() }
        // The failed reload kept the previous (wronghost) context.
        await #expect(throws: WebSocketClientError.tls(.hostnameMismatch)) {
            _ = try await TestClient.connect(port: port, tls: tls)
        }
        try install("server")
        try server.reloadTLS()
        let late = try await TestClient.connect(port: port, tls: tls)
        late.send(text: "new")
        await #expect(late.nextMessage() == .text("new"))
        early.send(text: "old")
        await #expect(early.nextMessage() == .text("old"))
    }

    @Test func mismatchedKeyIsRefused() throws {
        let configuration = TLSConfiguration(
            certificateChainFile: try DevCertificates.path("server.pem"),
            privateKeyFile: try DevCertificates.path("expired.key"))
        #expect(throws: TLSError.unusableFiles) { _ = try TLSContext(server: configuration) }
    }
}
