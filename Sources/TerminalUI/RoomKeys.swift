import RoomClient

/// The keys and the `/room` command that move between rooms when `iop` has joined
/// several: Ctrl-N / Ctrl-P the next / previous room, Alt-1…Alt-9 a room by its
/// number, Alt-j the room of a crisis alert; `/room NAME` by name, `/room` lists them.
public enum RoomKeys {
    /// A `/room` line.
    public enum Command: Sendable, Hashable {
        /// `/room`: list the rooms.
        case list
        /// `/room NAME`: bring a room to the front.
        case switchTo(String)
    }

    /// The room a key brings to the front, or nil when the key is not a room key
    /// (or names no room, or Alt-j with no alert behind).
    public static func target(of key: Key, in tabs: RoomTabs) -> Int? {
        switch key {
        case .control("n"): return (tabs.front + 1) % tabs.tabs.count
        case .control("p"): return (tabs.front + tabs.tabs.count - 1) % tabs.tabs.count
        case .alt("j"): return tabs.alertsBehind.first?.index
        case .alt(let digit):
            guard let number = digit.wholeNumberValue, (1...9).contains(number), number <= tabs.tabs.count else {
                return nil
            }
            return number - 1
        default: return nil
        }
    }

    /// The `/room` command in `line`, or nil when the line is something else.
    public static func roomCommand(_ line: String) -> Command? {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard words.first == "/room" else { return nil }
        return words.count == 1 ? .list : .switchTo(words.dropFirst().joined(separator: " "))
    }

    /// `/room`'s answer: every room with its number, which is in front, its marks
    /// (made safe to print: the title is the server's).
    public static func list(_ tabs: RoomTabs) -> [String] {
        tabs.tabs.enumerated().map { index, tab in
            let front = index == tabs.front ? " (in front)" : ""
            let alerts = tab.model.openAlerts.isEmpty ? "" : " — \(tab.model.openAlerts.count) open crisis alert(s)"
            let marks = tab.marks.isEmpty ? "" : " \(tab.marks.label)"
            let closed = tab.closed.map { " — closed: \($0.summary)" } ?? ""
            return "\(index + 1) \(tab.room) · \(tab.name)\(front)\(marks)\(alerts)\(closed)".safeForTerminal
        }
    }

    /// "Rooms: 1 room-a, 2 room-b."
    public static func roomNames(_ tabs: RoomTabs) -> String {
        "Rooms: " + tabs.tabs.enumerated().map { "\($0.offset + 1) \($0.element.room)" }.joined(separator: ", ") + "."
    }

    /// What `/help` adds with several rooms.
    public static let help = [
        "Rooms: Ctrl-N / Ctrl-P next / previous room, Alt-1…Alt-9 a room by number, Alt-j the room of a crisis alert;",
        "  /room NAME brings a room to the front, /room lists them. Commands go to the room in front.",
    ]

    /// What `/help` adds in line mode with several rooms.
    public static let lineHelp = [
        "Rooms: /room NAME (or its number) brings a room to the front, /room lists them; commands go to the room in front."
    ]
}
