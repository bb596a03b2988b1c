import Foundation
import Logging
import RoomServer
import SocketTransport

/// A real server on 127.0.0.1, port 0, in the test process: `iopd`'s whole
/// application (rooms, tokens, /echo), with a fresh data folder and secret.
public final class ServerHarness: Sendable {
    /// The application.
    public let application: ServerApplication
    /// The transport server.
    public var server: WebSocketServer { application.server }
    /// The bound port.
    public let port: Int
    /// The data folder, removed by `stop`.
    public let dataDirectory: String

    /// Starts a server with `settings` (host, port and data folder are overridden).
    /// Default `.echoTesting`: the embedded defaults with `/echo` turned on.
    public init(settings: ServerSettings = .echoTesting, logger: Logger = Logger(label: "test")) async throws {
        var settings = settings
        settings.host = "127.0.0.1"
        settings.port = 0
        dataDirectory = NSTemporaryDirectory() + "iop-test-\(UUID().uuidString)"
        settings.dataDirectory = dataDirectory
        application = try await ServerApplication(settings: settings, logger: logger)
        port = try application.start().port
    }

    /// Stops the server (graceful, bounded) and removes the data folder.
    public func stop(gracePeriod: Duration = .seconds(2)) {
        server.shutdown(gracePeriod: gracePeriod)
        application.revocationFeed?.stop()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}
