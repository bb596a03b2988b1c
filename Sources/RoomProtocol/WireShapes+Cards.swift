import RoomCore

extension CardSection: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [("heading", .string(heading)), ("lines", .array(lines.map(JSONValue.string)))]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(heading: try wire.string("heading"), lines: try wire.strings("lines"))
    }
}

extension CardField: WireCodable {
    var wireFields: [(String, JSONValue)] { [("label", .string(label)), ("maxLength", .number(maxLength))] }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(label: try wire.string("label"), maxLength: try wire.int("maxLength"))
    }
}

extension CardScope: WireEnum {
    var wireName: String {
        switch self {
        case .room: "room"
        }
    }

    static var wireCases: [CardScope] { [.room] }
}

extension CardInfo: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("card", .unsigned(card)), ("id", .string(skillsCard.id)), ("title", .string(skillsCard.title)),
            ("sections", skillsCard.sections.wireValue), ("fields", skillsCard.fields.wireValue),
            ("scope", scope.wireValue), ("shownAt", .time(shownAt)),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        let skillsCard = SkillsCard(
            id: try wire.string("id"), title: try wire.string("title"), sections: try wire.decodeArray("sections"),
            fields: try wire.decodeArray("fields"))
        self.init(
            card: try wire.uint64("card"), skillsCard: skillsCard, scope: try wire.wireEnum("scope"),
            shownAt: try wire.timestamp("shownAt"))
    }
}

extension CardFields: WireCodable {
    /// `values`: one string per field, empty when not filled in.
    var wireFields: [(String, JSONValue)] {
        [("card", .unsigned(card)), ("values", .array(values.map { .string($0.revealed) }))]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(card: try wire.uint64("card"), values: try wire.strings("values").map(ConfidentialText.init))
    }
}

extension CardShare: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("card", .unsigned(card)), ("member", .id(member)), ("alias", .string(alias)),
            ("values", .array(values.map { .string($0.revealed) })),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            card: try wire.uint64("card"), member: try wire.memberID("member"), alias: try wire.string("alias"),
            values: try wire.strings("values").map(ConfidentialText.init))
    }
}
