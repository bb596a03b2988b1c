import RoomClient

/// The rows a several-room join adds under the header: the tab strip, then a banner
/// for any crisis alert of a room behind.
extension RoomScreen {
    /// Draws the tab strip and, when a room behind has an open crisis alert, its banner
    /// (it stays until the alert is acknowledged in its room); returns the rows used.
    static func roomsRows(_ rooms: RoomTabs, _ screen: inout Screen, row: Int) -> Int {
        tabStrip(rooms, &screen, row: row)
        return 1 + alertsBehindBanner(rooms, &screen, row: row + 1)
    }

    /// One row: `[1 evening-process]  2 dbt-skills +3 ✋ ` — the room in front in
    /// brackets, each other with its number and marks, `!!!` on a room with an open
    /// crisis alert, `(closed)` on a room whose connection ended.
    static func tabStrip(_ rooms: RoomTabs, _ screen: inout Screen, row: Int) {
        screen.fill(row: row, style: Styles.status)
        var column = 0
        for (index, tab) in rooms.tabs.enumerated() {
            var text = "\(index + 1) \(tab.room)"
            if !tab.model.openAlerts.isEmpty { text += " !!!" }
            if index != rooms.front, !tab.marks.isEmpty { text += " " + tab.marks.label }
            if tab.closed != nil { text += " (closed)" }
            let label = index == rooms.front ? "[\(text)]" : " \(text) "
            let style =
                !tab.model.openAlerts.isEmpty ? Styles.alert : index == rooms.front ? Styles.title : Styles.status
            column += screen.put(label, row: row, column: column, style: style) + 1
        }
        let hint = "Ctrl-N/P"
        if column + CellWidth.of(hint) + 1 <= screen.width {
            screen.put(hint, row: row, column: screen.width - CellWidth.of(hint) - 1, style: Styles.status)
        }
    }

    /// `!!! CRISIS in dbt-skills (Alt-j): Sky needs help now !!!` for the first open
    /// alert of a room behind (`+N more` when there are others); 0 rows when none.
    static func alertsBehindBanner(_ rooms: RoomTabs, _ screen: inout Screen, row: Int) -> Int {
        let behind = rooms.alertsBehind
        guard let first = behind.first else { return 0 }
        let more = behind.count > 1 ? " (+\(behind.count - 1) more)" : ""
        let text = "!!! CRISIS in \(first.room) (Alt-j): \(first.alert.alias) needs help now\(more) !!!"
        screen.fill(row: row, style: Styles.alert)
        screen.put(" " + text, row: row, column: 0, style: Styles.alert)
        return 1
    }
}
