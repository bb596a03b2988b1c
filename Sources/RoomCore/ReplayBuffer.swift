import DequeModule

/// Recent events with their intended recipients, for members who resume.
///
/// Bounded by count and by age; evicting an event makes any resume from
/// before it impossible, and such a member gets a fresh snapshot instead.
struct ReplayBuffer: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        let sequence: SequenceNumber
        let time: Timestamp
        /// `nil` once the message it carried was withdrawn (redacted or deleted).
        var event: RoomEvent?
        /// A room's members, so a handful: a linear search on resume is cheaper
        /// than hashing every recipient of every event.
        var recipients: [MemberID]
    }

    /// How far back (in entries) a full-state event looks for the ones it replaces.
    static let supersedingReach = 64

    let capacity: Int
    let horizon: Duration
    /// Oldest first; evicting from the front costs what is evicted, not the buffer's length.
    private(set) var entries: Deque<Entry> = []
    private var evictedThrough: SequenceNumber = 0
    /// Messages withdrawn from an entry (redacted or deleted), by the entry's sequence
    /// number: a member who misses the entry never saw them, so it is not sent their
    /// removal either. Apart from the entries, which stay one 128-byte slot each:
    /// withdrawals are rare.
    private var withdrawals: [SequenceNumber: [MessageID]] = [:]
    /// The sender and command of each entry that was a sender's own copy of what its
    /// command posted (`Delivery.ownCopy`), oldest first: a resumed sender's replayed
    /// copy still names the command it answered. Apart from the entries too (one per
    /// posted message), dropped from the front as they are evicted.
    private var ownCopies: Deque<Marked> = []

    /// An entry's sequence number and whose own copy it was.
    struct Marked: Sendable, Equatable {
        let sequence: SequenceNumber
        let copy: OwnCopy
    }

    init(capacity: Int, horizon: Duration) {
        self.capacity = capacity
        self.horizon = horizon
    }

    /// The recipients of the newest entry (an equal list can share its storage).
    var newestRecipients: [MemberID]? { entries.last?.recipients }

    mutating func append(_ envelope: EventEnvelope, recipients: [MemberID], ownCopy: OwnCopy? = nil) {
        if envelope.event.carriesWholeState { supersede(envelope.event, for: recipients) }
        entries.append(
            Entry(sequence: envelope.sequence, time: envelope.time, event: envelope.event, recipients: recipients))
        if let ownCopy { ownCopies.append(Marked(sequence: envelope.sequence, copy: ownCopy)) }
        let oldest = envelope.time.advanced(by: .zero - horizon)
        var drop = max(0, entries.count - capacity)
        while drop < entries.count, entries[drop].time < oldest { drop += 1 }
        if drop > 0 {
            evictedThrough = entries[drop - 1].sequence
            entries.removeFirst(drop)
            forgetEvictedWithdrawals()
        }
    }

    /// Drops the withdrawals of evicted entries (a scan of a few keys, no copy unless one goes).
    private mutating func forgetEvictedWithdrawals() {
        while let oldest = ownCopies.first, oldest.sequence <= evictedThrough { ownCopies.removeFirst() }
        guard withdrawals.keys.contains(where: { $0 <= evictedThrough }) else { return }
        withdrawals = withdrawals.filter { $0.key > evictedThrough }
    }

    /// The command whose answer the entry `sequence` was, when `member` sent it.
    func ownCopy(at sequence: SequenceNumber, for member: MemberID) -> OwnCopy? {
        ownCopies.last { $0.sequence == sequence && $0.copy.member == member }?.copy
    }

    /// A roster or waiting room is the whole state, so a member who resumes
    /// needs only the newest one: recent older ones of the same kind forget
    /// `recipients`, and one nobody needs any more leaves the buffer (a room's
    /// join burst otherwise keeps every intermediate roster). Leaving is safe:
    /// a resume is complete when it starts after `evictedThrough`, whatever
    /// sequence numbers between it and now have no entry.
    private mutating func supersede(_ event: RoomEvent, for recipients: [MemberID]) {
        var index = entries.endIndex
        let stop = max(entries.startIndex, entries.endIndex - Self.supersedingReach)
        while index > stop {
            index -= 1
            guard let older = entries[index].event, older.isSameWholeState(as: event) else { continue }
            entries[index].recipients.removeAll { recipients.contains($0) }
            if entries[index].recipients.isEmpty { entries.remove(at: index) }
        }
    }

    /// The events after `sequence` meant for `member`, or `nil` if some were evicted
    /// (or `sequence` is from the future). Each sequence number means one event: a
    /// withdrawn message's slot is skipped, and so is the removal of a message the
    /// member would only have received in this replay. Only admitted members resume
    /// from the buffer, so their own stage events (`agreement.required`,
    /// `admission.waiting`) are done and never replayed.
    func missed(by member: MemberID, after sequence: SequenceNumber, current: SequenceNumber) -> [EventEnvelope]? {
        guard sequence >= evictedThrough, sequence <= current else { return nil }
        var unseen: [MessageID] = []
        var missed: [EventEnvelope] = []
        for entry in entries where entry.sequence > sequence && entry.recipients.contains(member) {
            if let withdrawn = withdrawals[entry.sequence] { unseen += withdrawn }
            guard let event = entry.event else { continue }
            // The removal of a message the member never received, and the member's own
            // stage notices (already behind them), are not replayed.
            if case .messageRemoved(let removal) = event, unseen.contains(removal.message) { continue }
            if case .agreementRequired = event { continue }
            if case .waitingForAdmission = event { continue }
            missed.append(EventEnvelope(sequence: entry.sequence, time: entry.time, event: event))
        }
        return missed
    }

    /// Takes a removed message out of every entry that carries it, so it can never be
    /// replayed (its own slot then replays nothing; its removal is a later event).
    mutating func withdraw(_ removal: MessageRemoval) {
        for index in entries.indices {
            switch entries[index].event {
            case .message(let message)? where message.id == removal.message:
                entries[index].event = nil
            case .backlog(let backlog)? where backlog.contains { $0.id == removal.message }:
                entries[index].event = .backlog(backlog.filter { $0.id != removal.message })
            default:
                continue
            }
            withdrawals[entries[index].sequence, default: []].append(removal.message)
        }
    }

    /// Forgets everything and refuses any resume from `sequence` or earlier (a room
    /// taken over from another node: its events before are not here).
    mutating func forget(through sequence: SequenceNumber) {
        entries.removeAll()
        withdrawals.removeAll()
        ownCopies.removeAll()
        evictedThrough = sequence
    }

    /// Forgets everything (session end).
    mutating func purge() {
        entries.removeAll()
        withdrawals.removeAll()
        ownCopies.removeAll()
        evictedThrough = .max
    }
}

extension RoomEvent {
    /// Whether the event is a whole state that replaces the previous one of its kind.
    fileprivate var carriesWholeState: Bool {
        switch self {
        case .roster, .waitingRoom: true
        default: false
        }
    }

    fileprivate func isSameWholeState(as other: RoomEvent) -> Bool {
        switch (self, other) {
        case (.roster, .roster), (.waitingRoom, .waitingRoom): true
        default: false
        }
    }
}
