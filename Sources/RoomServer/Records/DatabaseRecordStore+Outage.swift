/// What the records allow the server to take on, for `/readyz`, `/metrics`
/// and the room upgrades.
public enum RecordsAvailability: Sendable, Hashable {
    /// The database takes the records as they come.
    case writing
    /// The database is away; records queue in memory (`queued` of `limit`), members are admitted.
    case queueing(queued: Int, limit: Int)
    /// The queue holds `limit` records or more: new members are refused (`records_unavailable`).
    case full(queued: Int, limit: Int)
}

/// A bounded outage of the records database: while it is away, records queue
/// in memory, in order, and are written when it returns. Up to
/// `maxQueuedRecords` queued records everything goes on; past it, new
/// members are refused with 503 `records_unavailable` (the members already in
/// go on, and their records still queue), and past twice that, records are
/// dropped and counted (`iop_records_dropped_total`): memory stays bounded.
extension DatabaseRecordStore {
    /// Whether new members are admitted now, and what the queue holds.
    public var availability: RecordsAvailability {
        state.withLock { state in
            if state.backlog >= maxQueuedRecords {
                .full(queued: state.backlog, limit: maxQueuedRecords)
            } else if !state.databaseUp {
                .queueing(queued: state.backlog, limit: maxQueuedRecords)
            } else {
                .writing
            }
        }
    }

    /// Whether a new member may be admitted; a refusal is counted.
    public func admitsNewMember() -> Bool {
        state.withLock { state in
            guard state.backlog < maxQueuedRecords else {
                state.refusedJoins += 1
                return false
            }
            return true
        }
    }

    /// The outage counters for metrics: database reachable at the last write,
    /// records dropped past the hard bound, new members refused.
    public var outageStatus: (databaseUp: Bool, dropped: Int, refusedJoins: Int) {
        state.withLock { ($0.databaseUp, $0.dropped, $0.refusedJoins) }
    }
}
