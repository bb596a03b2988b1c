/// An open check-in round.
public struct CheckInRoundInfo: Hashable, Sendable {
    /// The round number within the session.
    public var round: UInt64
    /// The template the round follows.
    public var template: CheckInTemplate
    /// When the round opened.
    public var startedAt: Timestamp
    /// When it closes by itself, if a timeout was set.
    public var closesAt: Timestamp?

    /// Creates a value from all of its fields.
    public init(round: UInt64, template: CheckInTemplate, startedAt: Timestamp, closesAt: Timestamp?) {
        self.round = round
        self.template = template
        self.startedAt = startedAt
        self.closesAt = closesAt
    }
}

/// One member's response to a round.
public struct CheckInResponse: Hashable, Sendable {
    /// Answered with values, or passed.
    public enum Outcome: Hashable, Sendable {
        /// The member's answer.
        case answered(CheckInAnswer)
        /// The member chose to pass.
        case passed
    }

    /// The round.
    public var round: UInt64
    /// Who responded.
    public var member: MemberID
    /// Their alias.
    public var alias: String
    /// What they responded.
    public var outcome: Outcome

    /// Creates a value from all of its fields.
    public init(round: UInt64, member: MemberID, alias: String, outcome: Outcome) {
        self.round = round
        self.member = member
        self.alias = alias
        self.outcome = outcome
    }
}

/// How many members gave each score for one scale field.
public struct ScoreDistribution: Hashable, Sendable {
    /// The field id.
    public var field: String
    /// Count of answers per score.
    public var counts: [Int: Int]

    /// Creates a value from all of its fields.
    public init(field: String, counts: [Int: Int]) {
        self.field = field
        self.counts = counts
    }
}

/// The facilitators' view of a round in progress.
public struct CheckInProgress: Hashable, Sendable {
    /// The round.
    public var round: UInt64
    /// Who answered, in answer order.
    public var answered: [MemberID]
    /// Who passed, in order.
    public var passed: [MemberID]
    /// Admitted participants who have not responded yet, in roster order.
    public var pending: [MemberID]
    /// Score distributions, one per scale field, in template order.
    public var distribution: [ScoreDistribution]

    /// Creates a value from all of its fields.
    public init(
        round: UInt64, answered: [MemberID], passed: [MemberID], pending: [MemberID], distribution: [ScoreDistribution]
    ) {
        self.round = round
        self.answered = answered
        self.passed = passed
        self.pending = pending
        self.distribution = distribution
    }
}

/// A closed round, as told to members.
public struct CheckInSummary: Hashable, Sendable {
    /// Why a round closed.
    public enum Reason: String, Hashable, Sendable {
        /// A facilitator closed it.
        case closed
        /// Its timeout passed.
        case timedOut
        /// The session ended.
        case sessionEnded
    }

    /// The round.
    public var round: UInt64
    /// How many answered.
    public var answeredCount: Int
    /// How many passed.
    public var passedCount: Int
    /// How many admitted participants did not respond.
    public var noResponseCount: Int
    /// Distributions; `nil` for participants when the template is facilitators-only.
    public var distribution: [ScoreDistribution]?
    /// Why it closed.
    public var reason: Reason

    /// Creates a value from all of its fields.
    public init(
        round: UInt64, answeredCount: Int, passedCount: Int, noResponseCount: Int, distribution: [ScoreDistribution]?,
        reason: Reason
    ) {
        self.round = round
        self.answeredCount = answeredCount
        self.passedCount = passedCount
        self.noResponseCount = noResponseCount
        self.distribution = distribution
        self.reason = reason
    }
}
