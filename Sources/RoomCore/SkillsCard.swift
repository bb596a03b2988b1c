/// One section of a skills card: a heading and a few short lines (configuration,
/// not participant content).
public struct CardSection: Hashable, Sendable {
    /// The heading, e.g. "S: Stop".
    public var heading: String
    /// The section's lines, in order.
    public var lines: [String]

    /// Creates a section.
    public init(heading: String, lines: [String]) {
        self.heading = heading
        self.lines = lines
    }
}

/// A blank on a skills card that a participant may fill in privately.
public struct CardField: Hashable, Sendable {
    /// The longest a field may be, in characters: 1 to 500 (a few sentences; with
    /// ``SkillsCard/maximumFields`` it bounds what the room holds per member).
    public static let lengthRange = 1...500

    /// What the blank asks for, e.g. "What I want".
    public var label: String
    /// The most characters the answer may hold (within ``lengthRange``).
    public var maxLength: Int

    /// Creates a field.
    public init(label: String, maxLength: Int) {
        self.label = label
        self.maxLength = maxLength
    }

    /// The limit the room checks a filled value against.
    public var limit: TextLimit { TextLimit(characters: maxLength) }
}

/// Skills material a facilitator shows the room: a title, short sections, and
/// optional fields to fill in (DBT STOP, a thought record, a relapse-prevention plan).
public struct SkillsCard: Hashable, Sendable {
    /// The most fields a card may have (bounds what the room holds per member).
    public static let maximumFields = 8
    /// The most sections a card may have.
    public static let maximumSections = 12

    /// The id a facilitator names to show it.
    public var id: String
    /// The title everyone sees.
    public var title: String
    /// The sections, in order.
    public var sections: [CardSection]
    /// The fields to fill in, in order (none for a card that is read only).
    public var fields: [CardField]

    /// Creates a card.
    public init(id: String, title: String, sections: [CardSection], fields: [CardField] = []) {
        self.id = id
        self.title = title
        self.sections = sections
        self.fields = fields
    }

    /// Whether the card keeps the limits a room relies on: 1 to ``maximumSections``
    /// sections, at most ``maximumFields`` fields, each of a length in
    /// ``CardField/lengthRange``. The server checks this when it loads the catalogue.
    public var isWithinLimits: Bool {
        (1...Self.maximumSections).contains(sections.count) && fields.count <= Self.maximumFields
            && fields.allSatisfy { CardField.lengthRange.contains($0.maxLength) }
    }
}
