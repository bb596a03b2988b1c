/// Where a card is shown. Only the whole room today; breakout groups add a case
/// here (and ``Room/cardAudience(_:)`` its audience), nothing else changes.
public enum CardScope: Hashable, Sendable {
    /// The group: admitted members not in a side room.
    case room
}

/// The card on show, as every member of its scope sees it.
public struct CardInfo: Hashable, Sendable {
    /// The card's number within the session (a new push, a new number).
    public var card: UInt64
    /// The material.
    public var skillsCard: SkillsCard
    /// Where it is shown.
    public var scope: CardScope
    /// When it was shown.
    public var shownAt: Timestamp

    /// Creates a value from all of its fields.
    public init(card: UInt64, skillsCard: SkillsCard, scope: CardScope, shownAt: Timestamp) {
        self.card = card
        self.skillsCard = skillsCard
        self.scope = scope
        self.shownAt = shownAt
    }
}

/// To the participant alone: what they have filled in on the card on show.
public struct CardFields: Hashable, Sendable {
    /// The card.
    public var card: UInt64
    /// One value per field of the card, in order; empty for a field not filled in
    /// (participant content: never in records, logs or metrics).
    public var values: [ConfidentialText]

    /// Creates a value from all of its fields.
    public init(card: UInt64, values: [ConfidentialText]) {
        self.card = card
        self.values = values
    }
}

/// A participant chose to show facilitators what they filled in (to facilitators
/// and that participant only).
public struct CardShare: Hashable, Sendable {
    /// The card.
    public var card: UInt64
    /// Who shared.
    public var member: MemberID
    /// Their alias.
    public var alias: String
    /// Their values at the moment of sharing, one per field (empty: not filled in).
    public var values: [ConfidentialText]

    /// Creates a value from all of its fields.
    public init(card: UInt64, member: MemberID, alias: String, values: [ConfidentialText]) {
        self.card = card
        self.member = member
        self.alias = alias
        self.values = values
    }
}
