import Logging
import RoomCore
import SocketTransport

/// `iopd` assembled: settings → signing secret, token authority, rooms, router
/// and the WebSocket server. The executable only parses arguments and calls this.
public final class ServerApplication: Sendable {
    /// The settings it runs with.
    public let settings: ServerSettings
    /// The transport server (its statistics feed metrics).
    public let server: WebSocketServer
    /// The room hosts, by catalogue order.
    public let rooms: [RoomHost]
    /// Issues and checks tokens with this server's secret.
    public let authority: TokenAuthority
    /// Authentication failures by reason.
    public let authFailures = AuthFailureCounts()

    /// Builds everything; nothing listens until `start`.
    public init(settings: ServerSettings, records: any RecordStore = InMemoryRecordStore(), logger: Logger) async throws {
        self.settings = settings
        let secret = try SigningSecret.load(configured: settings.authSecret, dataDirectory: settings.dataDirectory)
        authority = await TokenAuthority(secret: secret)
        let activities = try ActivityCatalogue.load(path: settings.catalogueFile)
        rooms = try RoomCatalogue.load(path: settings.roomsFile, activities: activities).map {
            RoomHost(configuration: $0, records: records, logger: logger)
        }
        let router = ServerRouter(
            settings: settings, rooms: rooms, authority: authority, authFailures: authFailures, logger: logger)
        server = WebSocketServer(configuration: settings.transport, router: router, logger: logger)
    }

    /// Listens on the configured address; returns the bound one.
    @discardableResult
    public func start() throws -> SocketAddress {
        try server.bind(host: settings.host, port: settings.port)
    }

    /// Graceful stop: every room member is told (`going_away`), every WebSocket
    /// gets 1001, then the process may exit.
    public func shutdown() {
        for room in rooms { room.announceShutdown(reason: "the server is restarting; reconnect in a moment") }
        server.shutdown(gracePeriod: settings.shutdownGracePeriod)
    }
}
