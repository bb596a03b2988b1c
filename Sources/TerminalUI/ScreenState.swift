import Foundation
import RoomClient
import RoomCore

/// One line of the message pane (kept in memory only, cleared when the session ends).
public struct PaneLine: Sendable, Hashable {
    /// How a pane line is drawn.
    public enum Kind: Sendable, Hashable {
        /// Someone's message.
        case chat
        /// Something that happened in the room.
        case event
        /// A refusal or a local error.
        case error
        /// A crisis alert or another line that must not be missed.
        case alert
    }

    /// The text.
    public var text: String
    /// How it is drawn.
    public var kind: Kind
    /// The chat message this line shows, so a redaction or deletion can take it off the screen.
    public var message: MessageID?
    /// The server time (ms) of the event it shows, for the time column.
    public var time: Int64?

    /// Creates a line.
    public init(_ text: String, kind: Kind = .event, message: MessageID? = nil) {
        self.text = text
        self.kind = kind
        self.message = message
    }
}

/// Everything the screen shows: the room's view model plus the client's own state.
public struct ScreenState: Sendable {
    /// The room as the server described it. Setting it keeps the waiting-list selection
    /// on the same person and says so in the pane when that person left.
    public var model = RoomViewModel() {
        didSet { followWaitingList() }
    }
    /// The connection's state.
    public var connection: ConnectionState = .connecting(attempt: 1)
    /// The latest round-trip time.
    public var roundTrip: Duration?
    /// The server's certificate is not being checked (`iop --insecure`): said on every frame.
    public var unverifiedServer = false
    /// The input line.
    public var editor = LineEditor()
    /// Message pane lines, oldest first.
    public var pane: [PaneLine] = []
    /// How many lines the pane is scrolled up from the newest (PageUp/PageDown).
    public var scroll = 0
    /// The server's current time in ms (local clock plus the model's offset), for countdowns.
    public var serverNow: Int64 = 0
    /// When (server time, ms) the next reconnection attempt starts, while reconnecting.
    public var reconnectAt: Int64?
    /// The check-in dialog, while open.
    public var checkInDialog: CheckInDialog?
    /// The facilitator's waiting-list selection and single-key admit/decline.
    public var waitingKeys = WaitingListKeys()
    /// The open `/end` question, until repeated or lapsed.
    public var confirmation = ConfirmationGate()
    /// The skills card panel is open (Alt-c), while a card is on show.
    public var showCard = false
    /// The time column is shown (Alt-t).
    public var showTimes = false
    /// The local time zone's offset from UTC in seconds, for the time column.
    public var utcOffsetSeconds = 0
    /// The member's time zone for the schedule in the side panel (the terminal's `TZ`).
    public var timeZone = TimeZone.current
    /// The most pane lines kept. Default 2,000.
    public var paneLimit = 2000

    /// An empty state.
    public init() {}

    /// Replaces the lines of a removed message with a note: its text leaves the screen.
    public mutating func withdraw(_ removal: MessageRemoval) {
        var replaced = false
        pane = pane.compactMap { line in
            guard line.message == removal.message else { return line }
            defer { replaced = true }
            return replaced
                ? nil : PaneLine("(message \(removal.message) was \(removal.reason.rawValue))", kind: .event)
        }
    }

    private mutating func followWaitingList() {
        guard let move = waitingKeys.follow(model.waiting) else { return }
        let now = move.selected.map { "selected: \($0.alias)" } ?? "nobody is waiting"
        append([PaneLine("\(move.left) is no longer waiting; \(now).", kind: .event)])
    }

    /// Appends lines to the pane, keeping at most `paneLimit`.
    public mutating func append(_ lines: [PaneLine]) {
        pane += lines
        if pane.count > paneLimit { pane.removeFirst(pane.count - paneLimit) }
    }

    /// Words Tab completes: the role's slash commands, the aliases in the room, and
    /// (for facilitators) the ids of the room's exercises and check-in templates.
    public var completions: [String] {
        InputParser.commands(for: model.role).map { "/" + $0.name } + model.knownAliases
            + model.activities.exercises.map(\.id) + model.activities.checkIns.map(\.id)
    }
}
