import RoomCore

extension InputParser {
    /// Parses a skills card command (`/card`, `/fill`, `/share`), or nil for another name.
    static func cards(_ name: String, _ rest: String, in model: RoomViewModel) -> ParsedInput? {
        let argument = rest.trimmingWhitespace()
        switch name {
        case "card":
            switch argument.lowercased() {
            case "":
                return .invalid("Usage: /card CARD-ID to show a skills card (e.g. dbt-stop), /card off to take it down")
            case "off": return .command(.withdrawCard)
            default: return .command(.showCard(cardID: argument))
            }
        case "fill":
            guard let info = model.cards.card else { return .invalid("No skills card is on show.") }
            let number = argument.prefix { $0 != " " }
            let count = info.skillsCard.fields.count
            guard let field = Int(number), (1...max(1, count)).contains(field), count > 0 else {
                return .invalid(
                    count == 0 ? "This card has no fields to fill in." : "Usage: /fill N TEXT, N from 1 to \(count)")
            }
            let text = String(argument.dropFirst(number.count)).trimmingWhitespace()
            return .command(.fillCard(card: info.card, field: field - 1, ConfidentialText(text)))
        case "share":
            guard let info = model.cards.card else { return .invalid("No skills card is on show.") }
            return .command(.shareCard(card: info.card))
        default: return nil
        }
    }
}
