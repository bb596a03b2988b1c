import Foundation
import RoomCore

/// Where the rooms' durable records go: attendance, moderation audit,
/// retained check-in scores. Never message content (RoomCore's records carry
/// none). A small interface of our own, so SQLite or a shared PostgreSQL can
/// sit behind it without touching the rooms.
public protocol RecordStore: Sendable {
    /// Keeps `record` of `room`. Must not block the caller for long.
    func append(_ record: Record, room: String)
}

/// Records kept in memory (tests, and the embedded default until the
/// durable store lands).
public final class InMemoryRecordStore: RecordStore, @unchecked Sendable {
    // `records` is guarded by `lock`.
    private let lock = NSLock()
    private var records: [(room: String, record: Record)] = []

    /// Creates an empty store.
    public init() {}

    /// Keeps the record.
    public func append(_ record: Record, room: String) {
        lock.withLock { records.append((room, record)) }
    }

    /// Every record kept, in order.
    public var all: [(room: String, record: Record)] {
        lock.withLock { records }
    }
}
