import Dispatch
import Foundation
import GRDB
import Logging
import RoomCore
import SocketTransport

/// The embedded durable store: `records.sqlite` in the data folder (WAL mode,
/// file mode 0600, schema by GRDB migrations). `append` only queues the
/// record; a serial writer commits whatever has queued in one transaction,
/// off every room's loop. `close` (clean stop) commits the rest and closes
/// open attendance; opening the file after a crash closes the attendance the
/// crashed process left open, at its last heartbeat, with `server_stopped`.
public final class SQLiteRecordStore: RecordStore, @unchecked Sendable {
    // `state` guards the queue of records and the counters; `database`,
    // `recordWriter` and `heartbeat` are used only on `writer` (after `init`); `lock` is set in
    // `init` and only released (on `writer`) by `close` or `abandon`.

    /// The file name under the data folder.
    public static let fileName = "records.sqlite"
    /// How often the writer notes that the server is alive. Default 10 s: after
    /// a crash, attendance is closed at most this long before the real stop.
    public static let heartbeatInterval: Duration = .seconds(10)

    /// The database file.
    public let path: String
    let database: DatabaseQueue
    let writer = DispatchQueue(label: "iop.records.writer")
    private let state = LockedValue(State())
    private var heartbeat: DispatchSourceTimer?
    private var recordWriter = RecordWriter()
    private var lock: DataFolderLock?
    private let logger: Logger

    private struct State {
        var pending: [(room: String, record: RoomCore.Record)] = []
        var scheduled = false
        var closed = false
        var written = 0
        var failures = 0
    }

    /// Counts for metrics: records waiting, committed, failed transactions.
    public var status: (pending: Int, written: Int, failures: Int) {
        state.withLock { ($0.pending.count, $0.written, $0.failures) }
    }

    /// Opens (creating if needed) `records.sqlite` in `dataDirectory`, migrates
    /// it, closes what a crashed run left open, and starts the heartbeat.
    public convenience init(dataDirectory: String, logger: Logger) throws {
        try self.init(
            path: URL(fileURLWithPath: dataDirectory).appendingPathComponent(Self.fileName).path, logger: logger)
    }

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, logger: Logger) throws {
        self.path = path
        self.logger = logger
        try Self.prepareFile(at: path)
        // Before anything else: a second server on this folder must not close the first one's attendance.
        lock = try DataFolderLock(path: path + ".lock")
        var configuration = GRDB.Configuration()
        configuration.journalMode = .wal
        configuration.label = "iop.records"
        database = try DatabaseQueue(path: path, configuration: configuration)
        try RecordSchema.migrator.migrate(database)
        Self.restrictPermissions(of: path)
        try database.write { db in
            let heartbeat = try Int64.fetchOne(db, sql: "SELECT last_alive_at FROM server_state WHERE id = 1")
            try recordWriter.closeOpen(
                stayEnd: { max(heartbeat ?? 0, try RecordWriter.lastRecord(session: $0, in: db)) }, in: db)
            try Self.beat(db)
        }
        startHeartbeat()
    }

    /// Queues `record`; returns at once (the writer commits it shortly).
    public func append(_ record: RoomCore.Record, room: String) {
        let decision = state.withLock { state -> Bool? in
            guard !state.closed else { return nil }
            state.pending.append((room, record))
            defer { state.scheduled = true }
            return !state.scheduled
        }
        guard let schedule = decision else {
            logger.error("record appended after the store closed; dropped", metadata: ["room": "\(room)"])
            return
        }
        if schedule { writer.async { self.drain() } }
    }

    /// Commits everything queued so far before returning.
    public func flush() {
        writer.sync { drain() }
    }

    /// Clean stop at `time`: commits what is queued, closes open attendance and
    /// sessions with `server_stopped`, checkpoints the WAL and closes the file.
    public func close(at time: Timestamp) {
        writer.sync {
            guard !state.withLock({ $0.closed }) else { return }
            drain()
            state.withLock { $0.closed = true }
            heartbeat?.cancel()
            heartbeat = nil
            defer { lock = nil }
            do {
                try database.write { db in
                    try recordWriter.closeOpen(stayEnd: { _ in time.millisecondsSinceEpoch }, in: db)
                }
                _ = try database.writeWithoutTransaction { try $0.checkpoint(.truncate) }
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
        try writer.sync { try database.read { try RecordChain.verify($0) } }
    }

    /// Runs a read on the writer (tests and the admin API read through this).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.sync { try database.read(body) }
    }

    /// Commits the queued records in one transaction. On `writer`.
    private func drain() {
        let batch = state.withLock { state in
            defer {
                state.pending = []
                state.scheduled = false
            }
            return state.pending
        }
        guard !batch.isEmpty else { return }
        do {
            try database.write { db in
                for (room, record) in batch { try recordWriter.write(record, room: room, in: db) }
            }
            state.withLock { $0.written += batch.count }
        } catch {
            recordWriter.forget()  // the transaction was rolled back
            // Keep the batch at the front and retry in a second; the error names no content.
            logger.error(
                "writing records failed; will retry", metadata: ["error": "\(error)", "count": "\(batch.count)"])
            let retry = state.withLock { state -> Bool in
                state.failures += 1
                state.pending = batch + state.pending
                defer { state.scheduled = true }
                return !state.scheduled && !state.closed
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
                guard let self else { return }
                try? database.write { try Self.beat($0) }
            }
            timer.resume()
            heartbeat = timer
        }
    }

    private static func beat(_ db: Database) throws {
        try db.execute(
            sql:
                "INSERT INTO server_state (id, last_alive_at) VALUES (1, ?1) ON CONFLICT(id) DO UPDATE SET last_alive_at = ?1",
            arguments: [ServerClock.now().millisecondsSinceEpoch])
    }

    /// Creates the folder (0700) and an empty database file (0600) so the file
    /// is never readable by others, not even for a moment.
    private static func prepareFile(at path: String) throws {
        let manager = FileManager.default
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try manager.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw SettingsError.unreadableFile(path, "cannot create the records database")
            }
        }
    }

    /// 0600 on the database and its WAL and shared-memory files.
    private static func restrictPermissions(of path: String) {
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }
}
