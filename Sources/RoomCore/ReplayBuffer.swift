import DequeModule

/// Recent events with their intended recipients, for members who resume.
///
/// Bounded by count and by age; evicting an event makes any resume from
/// before it impossible, and such a member gets a fresh snapshot instead.
struct ReplayBuffer: Sendable {
    struct Entry: Sendable {
        var envelope: EventEnvelope
        /// A room's members, so a handful: a linear search on resume is cheaper
        /// than hashing every recipient of every event.
        var recipients: [MemberID]
    }

    let capacity: Int
    let horizon: Duration
    /// Oldest first; evicting from the front costs what is evicted, not the buffer's length.
    private(set) var entries: Deque<Entry> = []
    private var evictedThrough: SequenceNumber = 0

    init(capacity: Int, horizon: Duration) {
        self.capacity = capacity
        self.horizon = horizon
    }

    mutating func append(_ envelope: EventEnvelope, recipients: [MemberID]) {
        entries.append(Entry(envelope: envelope, recipients: recipients))
        let oldest = envelope.time.advanced(by: .zero - horizon)
        var drop = max(0, entries.count - capacity)
        while drop < entries.count, entries[drop].envelope.time < oldest { drop += 1 }
        if drop > 0 {
            evictedThrough = entries[drop - 1].envelope.sequence
            entries.removeFirst(drop)
        }
    }

    /// The events after `sequence` meant for `member`, or `nil` if some were evicted
    /// (or `sequence` is from the future).
    func missed(by member: MemberID, after sequence: SequenceNumber, current: SequenceNumber) -> [EventEnvelope]? {
        guard sequence >= evictedThrough, sequence <= current else { return nil }
        return entries.lazy
            .filter { $0.envelope.sequence > sequence && $0.recipients.contains(member) }
            .map(\.envelope)
    }

    /// Replaces a removed message wherever it appears, so it can never be replayed.
    mutating func withdraw(_ removal: MessageRemoval) {
        for index in entries.indices {
            switch entries[index].envelope.event {
            case .message(let message) where message.id == removal.message:
                entries[index].envelope.event = .messageRemoved(removal)
            case .backlog(let backlog) where backlog.contains { $0.id == removal.message }:
                entries[index].envelope.event = .backlog(backlog.filter { $0.id != removal.message })
            default:
                continue
            }
        }
    }

    /// Forgets everything (session end).
    mutating func purge() {
        entries.removeAll()
        evictedThrough = .max
    }
}
