/// What a poll offers to choose from.
public enum PollChoices: Hashable, Sendable {
    /// Two to six written options (facilitator's text: content, never logged).
    case options([ConfidentialText])
    /// A scale from 0 to 10.
    case scale

    /// The fewest and most written options a poll may offer.
    public static let optionCount = 2...6
    /// The scale's lowest and highest value.
    public static let scaleRange = 0...10

    /// How many choices there are (11 for the scale).
    public var count: Int {
        switch self {
        case .options(let options): options.count
        case .scale: Self.scaleRange.count
        }
    }
}

/// Who sees a poll's results when it closes (chosen when it is asked).
public enum PollAudience: String, Hashable, Sendable, CaseIterable {
    /// Everyone in the group.
    case group
    /// Facilitators only; participants learn that it closed, not the counts.
    case facilitators
}

/// A facilitator's question, as the `poll.ask` command carries it.
public struct PollRequest: Hashable, Sendable {
    /// The question (content: never in records, logs or metrics).
    public var question: ConfidentialText
    /// The options or the scale.
    public var choices: PollChoices
    /// Who sees the results.
    public var audience: PollAudience
    /// Closes by itself after this long (`nil` or not positive: only on command).
    public var timeout: Duration?

    /// Creates a value from all of its fields.
    public init(question: ConfidentialText, choices: PollChoices, audience: PollAudience, timeout: Duration?) {
        self.question = question
        self.choices = choices
        self.audience = audience
        self.timeout = timeout
    }
}

/// An open poll, as the group sees it.
public struct PollInfo: Hashable, Sendable {
    /// The poll's number within the session.
    public var poll: UInt64
    /// The question.
    public var question: ConfidentialText
    /// The options or the scale.
    public var choices: PollChoices
    /// Who will see the results.
    public var audience: PollAudience
    /// When it opened.
    public var openedAt: Timestamp
    /// When it closes by itself, if a timeout was set.
    public var closesAt: Timestamp?

    /// Creates a value from all of its fields.
    public init(
        poll: UInt64, question: ConfidentialText, choices: PollChoices, audience: PollAudience, openedAt: Timestamp,
        closesAt: Timestamp?
    ) {
        self.poll = poll
        self.question = question
        self.choices = choices
        self.audience = audience
        self.openedAt = openedAt
        self.closesAt = closesAt
    }
}

/// To facilitators: how many have answered so far (a count, never who, never what).
public struct PollProgress: Hashable, Sendable {
    /// The poll.
    public var poll: UInt64
    /// How many answered.
    public var answered: Int
    /// How many admitted participants are in the group now.
    public var eligible: Int

    /// Creates a value from all of its fields.
    public init(poll: UInt64, answered: Int, eligible: Int) {
        self.poll = poll
        self.answered = answered
        self.eligible = eligible
    }
}

/// A closed poll: the count per choice (to the poll's audience) and how many answered.
public struct PollResults: Hashable, Sendable {
    /// Why a poll closed.
    public enum Reason: String, Hashable, Sendable, CaseIterable {
        /// A facilitator closed it.
        case closed
        /// Its timeout passed.
        case timedOut = "timed_out"
    }

    /// The poll.
    public var poll: UInt64
    /// The count of each choice in order (`nil` for participants when the results are
    /// for facilitators only).
    public var counts: [Int]?
    /// How many answered.
    public var answered: Int
    /// Why it closed.
    public var reason: Reason

    /// Creates a value from all of its fields.
    public init(poll: UInt64, counts: [Int]?, answered: Int, reason: Reason) {
        self.poll = poll
        self.counts = counts
        self.answered = answered
        self.reason = reason
    }
}
