/// How a facilitator splits the admitted participants into breakout groups.
public enum BreakoutSplit: Hashable, Sendable {
    /// Into `count` groups at random: the order comes from `seed`, which the
    /// server chooses (the room reads no random source); sizes differ by one at most.
    case random(count: Int, seed: UInt64)
    /// Into `count` groups that mix the most and the least heard (by the
    /// participation balance: group messages, then time holding the floor), dealt
    /// in turn; sizes differ by one at most.
    case balanced(count: Int)
    /// Into these groups of named participants, in order (group 1 first); any
    /// admitted participant not named joins the smallest group.
    case named([[MemberID]])

    /// How many groups the split makes.
    public var count: Int {
        switch self {
        case .random(let count, _), .balanced(let count): count
        case .named(let groups): groups.count
        }
    }
}

/// A facilitator's `breakout.start`: the split and how long the groups last.
public struct BreakoutRequest: Hashable, Sendable {
    /// The shortest and longest breakout.
    public static let durations: ClosedRange<Duration> = .seconds(1) ... .seconds(4 * 3600)

    /// How to split.
    public var split: BreakoutSplit
    /// How long until everyone is brought back.
    public var duration: Duration

    /// Creates a value from all of its fields.
    public init(split: BreakoutSplit, duration: Duration) {
        self.split = split
        self.duration = duration
    }
}

/// A member of a breakout group, as shown.
public struct BreakoutMember: Hashable, Sendable {
    /// The member's id.
    public var member: MemberID
    /// The member's alias.
    public var alias: String

    /// Creates a value from all of its fields.
    public init(member: MemberID, alias: String) {
        self.member = member
        self.alias = alias
    }
}

/// One breakout group as its members (or the facilitators) see it.
public struct BreakoutGroupInfo: Hashable, Sendable {
    /// The group's number, from 1.
    public var number: Int
    /// Its participants, in the order they were placed.
    public var members: [BreakoutMember]
    /// The facilitators visiting it.
    public var visitors: [BreakoutMember]
    /// Its hand queue, first to speak first.
    public var hands: [MemberID]
    /// Who holds its floor, if anyone.
    public var floor: MemberID?

    /// Creates a value from all of its fields.
    public init(
        number: Int, members: [BreakoutMember], visitors: [BreakoutMember], hands: [MemberID], floor: MemberID?
    ) {
        self.number = number
        self.members = members
        self.visitors = visitors
        self.hands = hands
        self.floor = floor
    }
}

/// The breakout under way: to a participant, their own group only; to
/// facilitators, every group.
public struct BreakoutStatus: Hashable, Sendable {
    /// The breakout's number within the session.
    public var run: UInt64
    /// How many groups there are.
    public var groupCount: Int
    /// When everyone is brought back.
    public var endsAt: Timestamp
    /// The groups the recipient may see.
    public var groups: [BreakoutGroupInfo]

    /// Creates a value from all of its fields.
    public init(run: UInt64, groupCount: Int, endsAt: Timestamp, groups: [BreakoutGroupInfo]) {
        self.run = run
        self.groupCount = groupCount
        self.endsAt = endsAt
        self.groups = groups
    }
}

/// Everyone is back in the room.
public struct BreakoutEnd: Hashable, Sendable {
    /// Why the breakout ended.
    public enum Reason: String, Hashable, Sendable, CaseIterable {
        /// A facilitator brought everyone back.
        case ended
        /// The countdown ran out.
        case timeUp = "time_up"
    }

    /// The breakout's number.
    public var run: UInt64
    /// Why it ended.
    public var reason: Reason

    /// Creates a value from all of its fields.
    public init(run: UInt64, reason: Reason) {
        self.run = run
        self.reason = reason
    }
}
