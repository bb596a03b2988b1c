/// One admitted participant's share of the session, counts and times only.
public struct BalanceEntry: Hashable, Sendable {
    /// The participant.
    public var member: MemberID
    /// Their alias.
    public var alias: String
    /// Whether they are still in the room.
    public var present: Bool
    /// Group messages sent.
    public var messages: Int
    /// Hands raised.
    public var hands: Int
    /// Whole seconds holding the floor.
    public var floorSeconds: Int64
    /// Check-in rounds answered.
    public var checkInsAnswered: Int
    /// Check-in rounds passed.
    public var checkInsPassed: Int
    /// Whole seconds stepped out.
    public var awaySeconds: Int64
    /// No group message and no floor since the report's `since`.
    public var notYetHeard: Bool

    /// Creates a value from all of its fields.
    public init(
        member: MemberID, alias: String, present: Bool, messages: Int, hands: Int, floorSeconds: Int64,
        checkInsAnswered: Int, checkInsPassed: Int, awaySeconds: Int64, notYetHeard: Bool
    ) {
        self.member = member
        self.alias = alias
        self.present = present
        self.messages = messages
        self.hands = hands
        self.floorSeconds = floorSeconds
        self.checkInsAnswered = checkInsAnswered
        self.checkInsPassed = checkInsPassed
        self.awaySeconds = awaySeconds
        self.notYetHeard = notYetHeard
    }
}

/// To the facilitator who asked: the participation balance of this session.
public struct BalanceReport: Hashable, Sendable {
    /// The moment "not yet heard" counts from (session start, the current agenda
    /// item's start, or a facilitator's `balance.mark`, whichever is latest).
    public var since: Timestamp
    /// Every participant admitted this session, in admission order.
    public var entries: [BalanceEntry]

    /// Creates a value from all of its fields.
    public init(since: Timestamp, entries: [BalanceEntry]) {
        self.since = since
        self.entries = entries
    }
}
