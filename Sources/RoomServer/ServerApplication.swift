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
    /// The rooms hosted now: the rooms file's, then those created at run time.
    public let directory: RoomDirectory
    /// The room hosts now, in the directory's order.
    public var rooms: [RoomHost] { directory.all }
    /// The programs (schedule, roster) of the rooms that have one, by room id.
    public let programs: [String: RoomProgram]
    /// Issues and checks tokens with this server's secret.
    public let authority: TokenAuthority
    /// Authentication failures by reason.
    public let authFailures = AuthFailureCounts()
    /// Where the rooms' durable records go.
    public let records: any RecordStore
    /// The Prometheus registry behind `/metrics`, and the rooms' instruments.
    public let metrics: ServerMetrics
    /// Ready until a drain begins (`/readyz`).
    public let readiness = Readiness()
    /// Open room connections by token (revocation closes them).
    public let connections = ConnectionRegistry()
    /// The drain shared by signals and the admin API.
    public let drain: DrainCoordinator
    /// Every node's revocations, rooms and programs as they change (records on PostgreSQL); nil on SQLite.
    public let changeFeed: PostgreSQLChangeFeed?
    /// The rooms' leases in the records database (one owner per room); nil with a
    /// store that is not a database (tests): every room is then hosted here.
    public let leases: RoomLeases?
    /// Every room's program (schedule, roster), as the rooms file seeded it or the admin API changed it.
    let programRegistry: ProgramRegistry
    /// The wall clock rooms, programs, records, tokens and the admin API read: ``ServerClock/system`` in `iopd`.
    public let clock: ServerClock

    /// Builds everything; nothing listens until `start`. Records go to
    /// `records`, by default a `DatabaseRecordStore` on `records.backend`;
    /// revocations are read from it (when it keeps them) before anything listens.
    /// `clock` is the server's wall clock (tests pass one they move).
    public init(
        settings: ServerSettings, records: (any RecordStore)? = nil, clock: ServerClock = .system, logger: Logger
    ) async throws {
        self.settings = settings
        self.clock = clock
        let records = try records ?? DatabaseRecordStore.open(settings: settings, logger: logger)
        let metrics = ServerMetrics()
        self.records = records
        self.metrics = metrics
        let secret = try SigningSecret.load(configured: settings.authSecret, dataDirectory: settings.dataDirectory)
        let revocationStore = records as? any RevocationStore
        let revocations = RevocationList(try revocationStore?.revokedTokenIDs() ?? [])
        authority = await TokenAuthority(
            secret: secret, lifetimes: settings.tokenLifetimes, revocations: revocations)
        let activities = try ActivityCatalogue.load(path: settings.catalogueFile)
        let programDocuments = try RoomCatalogue.programDocuments(path: settings.roomsFile)
        // The connections' event loops, made here so that each room runs on one of them.
        let loops = EventLoopGroup(count: settings.transport.eventLoopCount)
        let leases = (records as? DatabaseRecordStore).map {
            RoomLeases(store: $0, timing: settings.roomLeases, logger: logger)
        }
        self.leases = leases
        let makeHost: @Sendable (RoomConfiguration) -> RoomHost = { configuration in
            RoomHost(
                configuration: configuration, records: records, logger: logger,
                instruments: metrics.roomInstruments, maxPendingCommands: settings.roomMaxPendingCommands,
                leases: leases, loop: loops.next(), clock: clock)
        }
        // Rooms created or changed at run time (kept in the records) after and over the rooms file's.
        let template = RoomRegistry.Template(
            agreement: try RoomCatalogue.agreement(path: settings.roomsFile), activities: activities,
            idleLogoff: settings.idleLogoff)
        let roomStore = records as? any RoomStore
        let starting = try RoomRegistry.startingRooms(
            file: try RoomCatalogue.load(path: settings.roomsFile, activities: activities).map {
                $0.applying(settings.idleLogoff)
            }, stored: try roomStore?.storedRooms() ?? [], template: template, logger: logger)
        directory = RoomDirectory(starting.map(makeHost), limit: max(settings.maxRooms, starting.count))
        let roomRegistry = RoomRegistry(directory: directory, store: roomStore, template: template, makeHost: makeHost)
        let rooms = directory.all
        let hosts = directory
        leases?.whenLost { hosts.host($0)?.leaseLost() }
        leases?.whenEmpty { hosts.host($0)?.load.isOpen == false }
        // Programs changed at run time (kept in the records) win over the rooms file's.
        programRegistry = try ProgramRegistry(
            rooms: directory, file: programDocuments, store: records as? any ProgramStore, logger: logger)
        programs = programRegistry.programs
        for room in rooms { if let program = programs[room.id] { room.adopt(program) } }
        drain = DrainCoordinator(
            readiness: readiness, rooms: directory, records: records, grace: settings.drainGracePeriod,
            closeGrace: settings.shutdownGracePeriod, logger: logger, clock: clock)
        let statistics = TransportStatistics()
        let memoryBudget = MemoryBudget(limit: max(settings.transport.memoryBudgetBytes, 1))
        let directory = self.directory
        let authFailures = self.authFailures
        let metricSources = { @Sendable in
            MetricSources(
                transport: statistics, rooms: directory.all, authFailures: authFailures, records: records,
                loops: loops.loops, memoryBudget: memoryBudget, leases: leases)
        }
        var router = ServerRouter(
            settings: settings, rooms: directory, authority: authority, authFailures: authFailures, logger: logger,
            readiness: readiness, metrics: { metrics.exposition(metricSources()) })
        router.connections = connections
        router.programs = programRegistry
        router.records = records as? DatabaseRecordStore
        router.clock = clock
        let peers = PeerRevocations(revocations: revocations, registry: connections)
        let programRegistry = self.programRegistry
        changeFeed = (records as? DatabaseRecordStore)?.changeFeed { channel, ids in
            switch channel {
            case .revocations: peers.apply(ids)
            case .rooms: roomRegistry.adoptStored(ids, logger: logger)
            case .programs: programRegistry.adoptStored(ids, logger: logger)
            }
        }
        var admin = AdminRouter(
            rooms: directory, authority: authority, revocationStore: revocationStore, registry: connections,
            drain: drain, authFailures: authFailures, logger: logger, loops: loops.loops,
            programs: programRegistry, roomRegistry: roomRegistry)
        admin.peerRevocations = changeFeed == nil ? nil : peers
        admin.records = records as? DatabaseRecordStore
        admin.attendanceRules = settings.attendance
        admin.nodeID = settings.nodeID
        admin.clock = clock
        router.admin = admin
        server = WebSocketServer(
            configuration: settings.transport, router: router, statistics: statistics, logger: logger, loops: loops,
            memoryBudget: memoryBudget)
        drain.attach(server)
        if let tls = settings.tls { try server.configureTLS(tls) }
        changeFeed?.start()
    }

    /// Listens on the configured address; returns the bound one.
    @discardableResult
    public func start() throws -> SocketAddress {
        leases?.start()
        return try server.bind(host: settings.host, port: settings.port)
    }

    /// Reads the TLS certificate and key files again (SIGHUP); new connections
    /// use them, open ones are not disturbed. Does nothing without TLS.
    public func reloadTLS() throws {
        try server.reloadTLS()
    }

    /// Immediate graceful stop, blocking until done: a drain with no time for
    /// rooms to finish (`/readyz` 503, members told `going_away`, every
    /// WebSocket closed with 1001, records flushed and open attendance closed
    /// with `server_stopped`). If a drain is already under way, waits for it.
    public func shutdown() {
        drain.begin(reason: "shutdown", grace: .zero)
        drain.blockUntilFinished()
        changeFeed?.stop()
        leases?.stop()
    }
}
