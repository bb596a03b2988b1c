/// The fixed set of reactions to a group message.
public enum ReactionKind: String, Hashable, Sendable, CaseIterable {
    /// "Me too."
    case meToo = "me_too"
    /// "Thank you."
    case thankYou = "thank_you"
    /// "Sending support."
    case support
}

/// A non-verbal cue a participant sets on themselves.
public enum Cue: String, Hashable, Sendable, CaseIterable {
    /// "I need a pause."
    case pause
    /// "I'd like to speak."
    case wantToSpeak = "want_to_speak"
    /// "I'm OK."
    case ok
}

/// How the group sees reactions (room policy `reactions`).
public enum ReactionVisibility: String, Hashable, Sendable, CaseIterable {
    /// Counts per reaction, no names (the default).
    case counts
    /// Counts and the aliases of who reacted.
    case named
    /// Reactions are turned off (`reactions_off`).
    case off
}

/// Who sees a participant's cue (room policy `cues`).
public enum CueVisibility: String, Hashable, Sendable, CaseIterable {
    /// Facilitators (and the member) only: the default, the calmer one: "I need a
    /// pause" is a vulnerable signal a facilitator should act on, not the whole group.
    case facilitatorsOnly = "facilitators_only"
    /// The group sees every member's cue as a marker too.
    case markers
}

/// One reaction's count on a message, with who reacted when the policy names them.
public struct ReactionCount: Hashable, Sendable {
    /// The reaction.
    public var kind: ReactionKind
    /// How many members reacted so.
    public var count: Int
    /// Their aliases, in the order they reacted (empty unless the policy is `named`).
    public var aliases: [String]

    /// Creates a value from all of its fields.
    public init(kind: ReactionKind, count: Int, aliases: [String]) {
        self.kind = kind
        self.count = count
        self.aliases = aliases
    }
}

/// The reactions to one group message now (reactions at zero are left out).
public struct ReactionTally: Hashable, Sendable {
    /// The message.
    public var message: MessageID
    /// Each reaction with at least one member, in ``ReactionKind`` order.
    public var counts: [ReactionCount]

    /// Creates a value from all of its fields.
    public init(message: MessageID, counts: [ReactionCount]) {
        self.message = message
        self.counts = counts
    }
}

/// A member's cue was set or cleared.
public struct CueChange: Hashable, Sendable {
    /// The member.
    public var member: MemberID
    /// Their alias.
    public var alias: String
    /// The cue now, `nil` when cleared.
    public var cue: Cue?

    /// Creates a value from all of its fields.
    public init(member: MemberID, alias: String, cue: Cue?) {
        self.member = member
        self.alias = alias
        self.cue = cue
    }
}
