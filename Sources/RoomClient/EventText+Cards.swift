import RoomCore

extension EventText {
    /// The lines of the skills card events, or nil for another event.
    static func cardLines(_ event: RoomEvent, _ model: RoomViewModel) -> [String]? {
        switch event {
        case .cardShown:
            var lines = model.cards.lines(role: model.role)
            if model.role == .facilitator { lines.append("  (Participants' fields are private until they /share.)") }
            return lines
        case .cardWithdrawn: return ["The skills card was taken down."]
        case .cardFields(let fields):
            guard let card = model.cards.card?.skillsCard, card.fields.count == fields.values.count else { return [] }
            let filled = fields.values.enumerated().map { index, value in
                "\(index + 1)) \(card.fields[index].label): \(value.revealed.isEmpty ? "…" : value.revealed)"
            }
            return ["Your card (only you see this): " + filled.joined(separator: "  ")]
        case .cardShared(let share):
            if share.member == model.me?.id { return ["You shared your card with the facilitators."] }
            guard let card = model.cards.card?.skillsCard else { return [] }
            return CardView.shareLines(share, card: card)
        default: return nil
        }
    }
}
