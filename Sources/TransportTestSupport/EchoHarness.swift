import Logging
import SocketTransport

/// A transport server on 127.0.0.1, port 0, in the test process, serving
/// `/echo` through `EchoRouter`: what transport tests run against.
public final class EchoHarness: Sendable {
    /// The transport server.
    public let server: WebSocketServer
    /// The bound port.
    public let port: Int

    /// Starts a server with `settings` (TLS when they name an identity).
    public init(settings: EchoSettings = .echoTesting, logger: Logger = Logger(label: "test")) throws {
        server = WebSocketServer(
            configuration: settings.transport, router: EchoRouter(settings: settings), logger: logger)
        if let tls = settings.tls { try server.configureTLS(tls) }
        port = try server.bind(host: "127.0.0.1", port: 0).port
    }

    /// Stops the server (graceful, bounded).
    public func stop(gracePeriod: Duration = .seconds(2)) {
        server.shutdown(gracePeriod: gracePeriod)
    }
}
