import Logging
import RoomServer
import SocketTransport

/// A real server on 127.0.0.1, port 0, in the test process, with `iopd`'s router.
public final class ServerHarness: Sendable {
    /// The server.
    public let server: WebSocketServer
    /// The bound port.
    public let port: Int

    /// Starts a server with `settings` (host and port are overridden).
    public init(settings: ServerSettings = ServerSettings(), logger: Logger = Logger(label: "test")) throws {
        server = WebSocketServer(
            configuration: settings.transport, router: ServerRouter(settings: settings), logger: logger)
        port = try server.bind(host: "127.0.0.1", port: 0).port
    }

    /// Stops the server (graceful, bounded).
    public func stop(gracePeriod: Duration = .seconds(2)) {
        server.shutdown(gracePeriod: gracePeriod)
    }
}
