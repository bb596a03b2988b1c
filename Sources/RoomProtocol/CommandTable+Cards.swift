import RoomCore

/// The skills card commands (listed in ``CommandTable/all`` with the rest).
extension CommandTable {
    static let showCard = CommandDescriptor("card.show", .identifier("card")) { .showCard(cardID: $0) }
    static let withdrawCard = CommandDescriptor("card.withdraw", .withdrawCard)
    /// `card`, `field` (an index from 0), `text` (the room checks the field's own limit).
    static let fillCard = CommandDescriptor(
        "card.fill",
        .pair(
            .unsigned("card"), .wholeNumber("field", in: 0...Int64(SkillsCard.maximumFields - 1)),
            checking: .asWritten),
        .text
    ) { .fillCard(card: $0.0, field: $0.1, $1) }
    static let shareCard = CommandDescriptor("card.share", .unsigned("card")) { .shareCard(card: $0) }

    /// The card commands, in documentation order.
    static let cards: [AnyCommandDescriptor] = [
        showCard.erased, withdrawCard.erased, fillCard.erased, shareCard.erased,
    ]
}
