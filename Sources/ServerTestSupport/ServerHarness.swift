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

    /// Starts a server with `settings` (host and port are overridden) on a fresh data
    /// folder, or on `dataDirectory` (a restart on the same records).
    /// Default `.echoTesting`: the embedded defaults with `/echo` turned on.
    /// `clock`: the server's wall clock (a ``ManualClock``'s, to run a week in seconds).
    public init(
        settings: ServerSettings = .echoTesting, dataDirectory: String? = nil, clock: ServerClock = .system,
        logger: Logger = Logger(label: "test")
    ) async throws {
        var settings = settings
        settings.host = "127.0.0.1"
        settings.port = 0
        self.dataDirectory = dataDirectory ?? NSTemporaryDirectory() + "iop-test-\(UUID().uuidString)"
        settings.dataDirectory = self.dataDirectory
        application = try await ServerApplication(settings: settings, clock: clock, logger: logger)
        port = try application.start().port
    }

    /// Stops the server (graceful, bounded) and removes the data folder (unless `keepingData`).
    public func stop(gracePeriod: Duration = .seconds(2), keepingData: Bool = false) {
        server.shutdown(gracePeriod: gracePeriod)
        application.changeFeed?.stop()
        application.leases?.stop()
        if !keepingData { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }
}
