/// Who sees the answers of a check-in round.
public enum CheckInVisibility: String, Hashable, Sendable {
    /// Answers are shared with the whole group.
    case group
    /// Only facilitators see answers; the group sees only that the round ran.
    case facilitatorsOnly
}

/// One question of a check-in template.
public struct CheckInField: Hashable, Sendable {
    /// What kind of answer a field takes.
    public enum Kind: Hashable, Sendable {
        /// A whole-number score within the range, inclusive.
        case scale(ClosedRange<Int>)
        /// A single word (no whitespace) of at most this many characters, and at most
        /// `TextLimit(characters: maxLength).maxBytes` UTF-8 bytes (see ``TextLimit``).
        case word(maxLength: Int)
        /// A short free text of at most this many characters and the bytes
        /// ``TextLimit`` allows them.
        case text(maxLength: Int)
    }

    /// The field's key in answers, e.g. "mood".
    public var id: String
    /// The prompt shown, e.g. "Mood from 0 to 10".
    public var prompt: String
    /// The kind of answer expected.
    public var kind: Kind

    /// Creates a field.
    public init(id: String, prompt: String, kind: Kind) {
        self.id = id
        self.prompt = prompt
        self.kind = kind
    }
}

/// A check-in round template from configuration.
public struct CheckInTemplate: Hashable, Sendable {
    /// The template id a facilitator names to start a round.
    public var id: String
    /// The title shown to members.
    public var title: String
    /// The questions, in order.
    public var fields: [CheckInField]
    /// Who sees the answers.
    public var visibility: CheckInVisibility

    /// Creates a template.
    public init(id: String, title: String, fields: [CheckInField], visibility: CheckInVisibility) {
        self.id = id
        self.title = title
        self.fields = fields
        self.visibility = visibility
    }

    /// Whether an answer has exactly this template's fields, each of the right kind and size.
    public func accepts(_ answer: CheckInAnswer) -> Bool {
        guard answer.values.count == fields.count else { return false }
        return fields.allSatisfy { field in
            switch (field.kind, answer.values[field.id]) {
            case (.scale(let range), .score(let score)?):
                range.contains(score)
            case (.word(let maxLength), .text(let text)?):
                text.check(TextLimit(characters: maxLength)) == .accepted
                    && !text.revealed.contains(where: \.isWhitespace)
            case (.text(let maxLength), .text(let text)?):
                text.check(TextLimit(characters: maxLength)) == .accepted
            case (.scale, .text?), (.word, .score?), (.text, .score?), (_, nil):
                false
            }
        }
    }
}

/// One answer value in a check-in.
public enum CheckInValue: Hashable, Sendable {
    /// A score for a `scale` field.
    case score(Int)
    /// Words for a `word` or `text` field (confidential).
    case text(ConfidentialText)
}

/// A participant's answer to a check-in: one value per field id.
public struct CheckInAnswer: Hashable, Sendable {
    /// Values keyed by field id.
    public var values: [String: CheckInValue]

    /// Creates an answer.
    public init(_ values: [String: CheckInValue]) { self.values = values }
}

/// The sample check-in templates: mood, craving, rose and thorn.
public enum CheckInCatalogue {
    /// Mood 0–10 plus one word, shared with the group.
    public static let mood = CheckInTemplate(
        id: "mood", title: "Mood check-in",
        fields: [
            CheckInField(id: "mood", prompt: "Mood from 0 (worst) to 10 (best)", kind: .scale(0...10)),
            CheckInField(id: "word", prompt: "One word for how you feel", kind: .word(maxLength: 30)),
        ],
        visibility: .group)

    /// Craving 0–10, seen by facilitators only.
    public static let craving = CheckInTemplate(
        id: "craving", title: "Craving check-in",
        fields: [CheckInField(id: "craving", prompt: "Craving from 0 (none) to 10 (strongest)", kind: .scale(0...10))],
        visibility: .facilitatorsOnly)

    /// Rose (something good) and thorn (something hard), shared with the group.
    public static let roseAndThorn = CheckInTemplate(
        id: "rose-thorn", title: "Rose and thorn",
        fields: [
            CheckInField(id: "rose", prompt: "A rose: something that went well", kind: .text(maxLength: 280)),
            CheckInField(id: "thorn", prompt: "A thorn: something that was hard", kind: .text(maxLength: 280)),
        ],
        visibility: .group)

    /// All three sample templates.
    public static let standard: [CheckInTemplate] = [mood, craving, roseAndThorn]
}
