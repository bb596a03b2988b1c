import Dispatch
import Logging
import RoomCore
import SocketTransport

/// The durable store, on SQLite (`records.sqlite` in the data folder, the
/// embedded default) or PostgreSQL (`records.backend`): the same record
/// logic over either ``RecordDatabase``. `append` only queues the record; a
/// serial writer commits whatever has queued in one transaction, off every
/// room's loop (blocking database calls happen only there). On SQLite, `close`
/// (clean stop) commits the rest and closes open attendance and sessions, and
/// opening after a crash closes what the crashed process left open, at its
/// last heartbeat, with `server_stopped`. On PostgreSQL, which several servers
/// share, a node touches only its own rows (`server.nodeId`) and hands its
/// rooms over instead: its open stays end `node_stopped` (clean stop) or
/// `node_lost` (opening after a crash) and its open sessions stay open for the
/// node that takes each room next, which restores the members' places.
/// While the database is away, records queue in memory, in order, and a
/// failed batch is retried every second (`DatabaseRecordStore+Outage`: the
/// bound, the refusals and the drops).
public final class DatabaseRecordStore: RecordStore, @unchecked Sendable {
    // `state` guards the queue of records and the counters; `database`,
    // `recordWriter` and `heartbeat` are used only on `writer` (after `init`); `lock` is set in
    // `init` and only released (on `writer`) by `close` or `abandon`.

    /// How often the writer notes that the server is alive. Default 10 s: after
    /// a crash, attendance is closed at most this long before the real stop.
    public static let heartbeatInterval: Duration = .seconds(10)
    /// The most records one transaction commits (a long queue after an outage goes in several).
    static let batchLimit = 5_000

    /// Where the records are (the SQLite file or the PostgreSQL database).
    public let location: RecordsLocation
    /// This server's node id: on its heartbeat and on the sessions and stays it opens.
    public let nodeID: String
    let database: any RecordDatabase
    let writer = DispatchQueue(label: "iop.records.writer")
    /// Records queued past which new members are refused (`records.maxQueuedRecords`);
    /// twice as many, and further records are dropped (see `DatabaseRecordStore+Outage`).
    public let maxQueuedRecords: Int
    let state = LockedValue(State())
    private var heartbeat: DispatchSourceTimer?
    private var recordWriter: RecordWriter
    private var lock: DataFolderLock?
    let logger: Logger

    struct State {
        var pending: [(room: String, record: RoomCore.Record)] = []
        var scheduled = false
        var closed = false
        var written = 0
        var failures = 0
        /// False from a failed write until the next successful one.
        var databaseUp = true
        /// Records dropped because the queue was at twice `maxQueuedRecords`.
        var dropped = 0
        /// New members refused because the queue was at `maxQueuedRecords`.
        var refusedJoins = 0
        /// Records taken out of `pending` by the transaction running now.
        var inFlight = 0
        /// Records not yet committed: waiting, and in the transaction running now.
        var queued: Int { pending.count + inFlight }
        /// What the admission bound counts: with the database away, the transaction
        /// running now is a retry that holds its records too; with it up, only what waits.
        var backlog: Int { databaseUp ? pending.count : queued }
    }

    /// Counts for metrics: records waiting, committed, failed transactions.
    public var status: (pending: Int, written: Int, failures: Int) {
        state.withLock { ($0.queued, $0.written, $0.failures) }
    }

    /// Takes over a migrated `database`: closes what this node left open
    /// (everything, on an exclusive database) and starts the heartbeat.
    init(
        database: any RecordDatabase, location: RecordsLocation, nodeID: String, lock: DataFolderLock?,
        maxQueuedRecords: Int = ServerSettings.defaultMaxQueuedRecords, logger: Logger
    ) throws {
        self.maxQueuedRecords = maxQueuedRecords
        self.database = database
        self.location = location
        self.nodeID = nodeID
        self.lock = lock
        self.logger = logger
        recordWriter = RecordWriter(node: nodeID, exclusive: database.dialect.isExclusive)
        try database.transaction { session in
            let mine = database.dialect.isExclusive ? "" : " WHERE node = $1"
            let arguments: [SQLValue] = database.dialect.isExclusive ? [] : [.text(nodeID)]
            let heartbeat = try session.query("SELECT MAX(last_alive_at) AS at FROM node_heartbeats\(mine)", arguments)
                .first?["at"].integer
            recordWriter.beginTransaction()
            let stayEnd = { max(heartbeat ?? 0, try RecordWriter.lastRecord(session: $0, in: session)) }
            if database.dialect.isExclusive {
                try recordWriter.closeOpen(stayEnd: stayEnd, in: session)
            } else {
                try recordWriter.handOver(reason: RecordWriter.nodeLost, stayEnd: stayEnd, in: session)
            }
            try Self.beat(session, node: nodeID)
            // Leases this node held before it stopped are void: what they covered was just closed.
            try session.execute("DELETE FROM room_leases\(mine)", arguments)
        }
        startHeartbeat()
        logger.info("records open", metadata: ["records": "\(location)", "node": "\(nodeID)"])
    }

    /// Whether `close` or `abandon` ran: nothing more is written.
    public var isClosed: Bool { state.withLock { $0.closed } }

    /// Queues `record`; returns at once (the writer commits it shortly). A
    /// record past the hard bound (twice `maxQueuedRecords`) is dropped and counted.
    public func append(_ record: RoomCore.Record, room: String) {
        let decision = state.withLock { state -> Bool? in
            guard !state.closed, state.queued < 2 * maxQueuedRecords else {
                if !state.closed { state.dropped += 1 }
                return nil
            }
            state.pending.append((room, record))
            defer { state.scheduled = true }
            return !state.scheduled
        }
        guard let schedule = decision else {
            logger.error("record dropped: the store is closed or its queue is full", metadata: ["room": "\(room)"])
            return
        }
        if schedule { writer.async { self.drain() } }
    }

    /// Commits everything queued so far before returning.
    public func flush() {
        writer.sync { drain() }
    }

    /// Clean stop at `time`: commits what is queued, closes this node's open
    /// attendance and sessions with `server_stopped` (SQLite) or hands its rooms
    /// over (PostgreSQL, ``RecordWriter/handOver(reason:stayEnd:in:)``), and
    /// closes the database.
    public func close(at time: Timestamp) {
        writer.sync {
            guard !state.withLock({ $0.closed }) else { return }
            drain()
            state.withLock { $0.closed = true }
            heartbeat?.cancel()
            heartbeat = nil
            defer { lock = nil }
            do {
                try database.transaction { session in
                    recordWriter.beginTransaction()
                    if database.dialect.isExclusive {
                        try recordWriter.closeOpen(stayEnd: { _ in time.millisecondsSinceEpoch }, in: session)
                    } else {
                        try recordWriter.handOver(
                            reason: RecordWriter.nodeStopped, stayEnd: { _ in time.millisecondsSinceEpoch }, in: session
                        )
                    }
                    try session.execute("DELETE FROM room_leases WHERE node = $1", nodeID)
                }
                try database.close()
            } catch {
                logger.error("closing the records database failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Stops the heartbeat and lets go of the folder lock without committing
    /// or closing anything, as a killed process would (crash tests).
    func abandon() {
        writer.sync {
            state.withLock { $0.closed = true }
            heartbeat?.cancel()
            heartbeat = nil
            lock = nil
        }
    }

    /// Checks the audit and attendance hash chains.
    public func verifyChains() throws -> ChainVerification {
        try read { try RecordChain.verify($0) }
    }

    /// Runs `body` in a transaction on the writer, after the records queued
    /// before it (tests and the admin API read through this).
    public func read<T>(_ body: (any RecordSession) throws -> T) throws -> T {
        try inTransaction(body)
    }

    /// Runs `body` in one transaction on the writer, after the records queued
    /// before it; committed when it returns.
    func inTransaction<T>(_ body: (any RecordSession) throws -> T) throws -> T {
        try writer.sync { try database.transaction(body) }
    }

    /// Runs `body` in one transaction with the record writer (its chains'
    /// tails), on `writer`: the caller is already there.
    func inWriterTransaction<T>(_ body: (any RecordSession, inout RecordWriter) throws -> T) throws -> T {
        do {
            return try database.transaction { session in
                recordWriter.beginTransaction()
                return try body(session, &recordWriter)
            }
        } catch {
            recordWriter.forget()  // the transaction was rolled back
            throw error
        }
    }

    /// Commits the queued records, in order, at most `batchLimit` per transaction. On `writer`.
    private func drain() {
        // `owned`: records are left behind this batch and no other drain is scheduled for them.
        let (batch, owned) = state.withLock { state in
            let count = min(state.pending.count, Self.batchLimit)
            defer {
                state.pending.removeFirst(count)
                state.inFlight = count
                state.scheduled = !state.pending.isEmpty
            }
            return (Array(state.pending.prefix(count)), state.pending.count > count)
        }
        guard !batch.isEmpty else { return }
        do {
            try database.transaction { session in
                recordWriter.beginTransaction()
                for (room, record) in batch { try recordWriter.write(record, room: room, in: session) }
            }
            let (more, cameBack) = state.withLock { state in
                state.written += batch.count
                state.inFlight = 0
                defer { state.databaseUp = true }
                return (state.scheduled, !state.databaseUp)
            }
            if cameBack { logger.notice("records database reachable again; writing the queued records") }
            if more { writer.async { self.drain() } }
        } catch {
            recordWriter.forget()  // the transaction was rolled back
            // Keep the batch at the front and retry in a second (reconnecting); the error names no content.
            let (retry, wasUp) = state.withLock { state -> (Bool, Bool) in
                state.failures += 1
                defer {
                    state.databaseUp = false
                    state.scheduled = true
                }
                state.pending = batch + state.pending  // counted in `queued` all along (`inFlight`)
                state.inFlight = 0
                return ((owned || !state.scheduled) && !state.closed, state.databaseUp)
            }
            if wasUp {  // once per outage, not once a second
                logger.error(
                    "writing records failed; queueing them in memory and retrying every second",
                    metadata: ["error": "\(error)", "queued": "\(batch.count)"])
            }
            if retry { writer.asyncAfter(deadline: .now() + 1) { self.drain() } }
        }
    }

    deinit {
        // A store released without `close` (tests) must not leave its timer firing forever.
        heartbeat?.cancel()
    }

    private func startHeartbeat() {
        writer.sync {
            let timer = DispatchSource.makeTimerSource(queue: writer)
            let interval = DispatchTimeInterval.milliseconds(Int(Self.heartbeatInterval.milliseconds))
            timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .seconds(1))
            timer.setEventHandler { [weak self] in
                // While the database is away the retries of `drain` reconnect; the beat waits for them.
                guard let self, state.withLock({ $0.databaseUp }) else { return }
                try? database.transaction { try Self.beat($0, node: nodeID) }
            }
            timer.resume()
            heartbeat = timer
        }
    }

    private static func beat(_ session: any RecordSession, node: String) throws {
        try session.execute(
            """
            INSERT INTO node_heartbeats (node, last_alive_at) VALUES ($1, $2)
            ON CONFLICT (node) DO UPDATE SET last_alive_at = excluded.last_alive_at
            """, node, ServerClock.system.now().millisecondsSinceEpoch)
    }
}
