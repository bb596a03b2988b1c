import DequeModule

/// The session's recent messages, oldest first, each with the members it
/// reached: for the late joiner's backlog, for ownership, and for redaction
/// and deletion (only those it reached hear of its removal). Bounded: past
/// `limit` the oldest are dropped. A small state machine the room composes.
struct MessageHistory: Sendable, Equatable {
    /// A message kept, with the audience it reached.
    struct Stored: Sendable, Equatable {
        var message: ChatMessage
        var audience: [MemberID]
    }

    /// How many messages are kept.
    let limit: Int
    /// A deque, so dropping the oldest costs what is dropped, not the history's length.
    private(set) var stored: Deque<Stored> = []
    private var lastID: UInt64 = 0

    init(limit: Int) { self.limit = limit }

    /// The id the next message gets.
    mutating func nextID() -> MessageID {
        lastID += 1
        return MessageID(lastID)
    }

    /// Keeps a message that reached `audience`, dropping the oldest past the limit.
    mutating func keep(_ message: ChatMessage, reached audience: [MemberID]) {
        stored.append(Stored(message: message, audience: audience))
        if stored.count > limit { stored.removeFirst(stored.count - limit) }
    }

    /// The kept message with this id, if any.
    func find(_ id: MessageID) -> Stored? { stored.first { $0.message.id == id } }

    /// Forgets a message.
    mutating func remove(_ id: MessageID) { stored.removeAll { $0.message.id == id } }

    /// The group messages kept, for a late joiner.
    var groupBacklog: [ChatMessage] { stored.filter { $0.message.scope == .group }.map(\.message) }

    /// Counts `member` among those every group message reached (they got the backlog).
    mutating func addToGroupAudience(_ member: MemberID) {
        for index in stored.indices where stored[index].message.scope == .group {
            stored[index].audience.append(member)
        }
    }

    /// Forgets every message (session end); ids keep counting.
    mutating func removeAll() { stored.removeAll() }
}
