import RoomCore
import SocketTransport

/// Where the rooms' durable records go: attendance, moderation audit,
/// retained check-in scores. Never message content (RoomCore's records carry
/// none). A small interface of our own, so SQLite or a shared PostgreSQL can
/// sit behind it without touching the rooms.
public protocol RecordStore: Sendable {
    /// Keeps `record` of `room`. Must not block the caller for long.
    func append(_ record: Record, room: String)
    /// Makes everything appended so far durable before returning.
    func flush()
    /// Clean stop at `time`: flushes, then closes attendance and sessions still
    /// open with the end reason `server_stopped`. Nothing may be appended after.
    func close(at time: Timestamp)
}

extension RecordStore {
    /// Nothing to flush (a store that keeps records as they come).
    public func flush() {}
    /// Nothing to close.
    public func close(at time: Timestamp) {}
}

/// Records kept in memory, for tests that want no file (the server's default
/// is `DatabaseRecordStore`).
public final class InMemoryRecordStore: RecordStore, Sendable {
    private let records = LockedValue<[(room: String, record: Record)]>([])

    /// Creates an empty store.
    public init() {}

    /// Keeps the record.
    public func append(_ record: Record, room: String) {
        records.withLock { $0.append((room, record)) }
    }

    /// Every record kept, in order.
    public var all: [(room: String, record: Record)] {
        records.current
    }
}
