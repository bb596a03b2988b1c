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
    /// Where the rooms' durable records go.
    public let records: any RecordStore
    /// The Prometheus registry behind `/metrics`, and the rooms' instruments.
    public let metrics: ServerMetrics
    /// Ready until `shutdown` begins (`/readyz`).
    public let readiness = Readiness()

    /// Builds everything; nothing listens until `start`. Records go to
    /// `records`, by default a `SQLiteRecordStore` in the data folder.
    public init(settings: ServerSettings, records: (any RecordStore)? = nil, logger: Logger) async throws {
        self.settings = settings
        let records = try records ?? SQLiteRecordStore(dataDirectory: settings.dataDirectory, logger: logger)
        let metrics = ServerMetrics()
        self.records = records
        self.metrics = metrics
        let secret = try SigningSecret.load(configured: settings.authSecret, dataDirectory: settings.dataDirectory)
        authority = await TokenAuthority(secret: secret)
        let activities = try ActivityCatalogue.load(path: settings.catalogueFile)
        rooms = try RoomCatalogue.load(path: settings.roomsFile, activities: activities).map {
            RoomHost(
                configuration: $0.applying(settings.idleLogoff), records: records, logger: logger,
                instruments: metrics.roomInstruments)
        }
        let statistics = TransportStatistics()
        let sources = MetricSources(
            transport: statistics, rooms: rooms, authFailures: authFailures, records: records)
        let router = ServerRouter(
            settings: settings, rooms: rooms, authority: authority, authFailures: authFailures, logger: logger,
            readiness: readiness, metrics: { metrics.exposition(sources) })
        server = WebSocketServer(
            configuration: settings.transport, router: router, statistics: statistics, logger: logger)
        if let tls = settings.tls { try server.configureTLS(tls) }
    }

    /// Listens on the configured address; returns the bound one.
    @discardableResult
    public func start() throws -> SocketAddress {
        try server.bind(host: settings.host, port: settings.port)
    }

    /// Reads the TLS certificate and key files again (SIGHUP); new connections
    /// use them, open ones are not disturbed. Does nothing without TLS.
    public func reloadTLS() throws {
        try server.reloadTLS()
    }

    /// Graceful stop: `/readyz` turns 503, every room member is told
    /// (`going_away`), every WebSocket gets 1001, records are flushed and open
    /// attendance closed (`server_stopped`), then the process may exit.
    public func shutdown() {
        readiness.beginDraining()
        for room in rooms { room.announceShutdown(reason: "the server is restarting; reconnect in a moment") }
        server.shutdown(gracePeriod: settings.shutdownGracePeriod)
        // Let the rooms hand over the records of the last departures, then
        // commit everything and close the attendance still open.
        for room in rooms { room.queue.sync {} }
        records.close(at: ServerClock.now())
    }
}
