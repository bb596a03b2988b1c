import RoomCore

extension Samples {
    /// The skills card events: a card with fields and one without, values with text to escape.
    static let cardEvents: [RoomEvent] = [
        .cardShown(CardInfo(card: 1, skillsCard: SkillsCardCatalogue.thoughtRecord, scope: .room, shownAt: at)),
        .cardShown(
            CardInfo(
                card: 2, skillsCard: SkillsCard(id: "x", title: "X", sections: [CardSection(heading: "H", lines: [])]),
                scope: .room, shownAt: at)),
        .cardWithdrawn(card: 2),
        .cardFields(CardFields(card: 1, values: [tricky, ConfidentialText(""), ConfidentialText("calm")])),
        .cardShared(CardShare(card: 1, member: "m-2", alias: "Sam", values: [tricky, ConfidentialText("")])),
    ]
}
