import RoomClient
import RoomCore

/// The skills card on show, over the message pane and the side panel (Alt-c opens
/// and closes it): the card's sections, then the participant's own fields (private)
/// or, for facilitators, what participants shared. Pure: state in, cells out.
enum CardPanel {
    /// The key that opens and closes the panel.
    static let toggleKey = Key.alt("c")

    /// Draws the card between `top` and `bottom` across the whole width.
    static func draw(_ model: RoomViewModel, _ screen: inout Screen, top: Int, bottom: Int) {
        let width = screen.width
        let footer = "Alt-c: back to the room"
        var rows: [(String, CellStyle)] = []
        for (index, line) in model.cards.lines(role: model.role).enumerated() {
            let style =
                index == 0 || (line.hasPrefix("  ") && !line.hasPrefix("    ")) ? RoomScreen.Styles.title : .plain
            let indent = String(line.prefix { $0 == " " })
            for (offset, piece) in CellWidth.wrap(String(line.dropFirst(indent.count)), width: width - indent.count - 2)
                .enumerated()
            {
                rows.append((indent + (offset == 0 ? "" : "  ") + piece, style))
            }
        }
        let room = max(0, bottom - top - 1)
        for (offset, (text, style)) in rows.prefix(room).enumerated() {
            screen.put(" " + text, row: top + offset, column: 0, style: style, limit: width)
        }
        let more = rows.count > room ? " (more below: make the window taller)" : ""
        screen.put(" " + footer + more, row: bottom - 1, column: 0, style: RoomScreen.Styles.dim, limit: width)
    }

    /// The side panel's hint while a card is on show.
    static func hint(_ model: RoomViewModel) -> [(String, CellStyle)] {
        guard let card = model.cards.card else { return [] }
        return [("Card (Alt-c)", RoomScreen.Styles.title), ("  " + card.skillsCard.title, .plain)]
    }
}
