import RoomCore

/// The facilitator's single keys for the waiting list: Alt-n / Alt-p move the
/// selection, Alt-a admits the selected person, Alt-d asks to turn them away and a
/// second Alt-d confirms (declining closes their connection for the session, so one
/// stray key must not do it). Any other key cancels a pending decline.
///
/// The selection is a person, never a position: ``follow(_:)`` pins it to a member id
/// whenever the list changes, so someone arriving above the selected person does not
/// take their place under Alt-a. When the selected person leaves, the selection moves
/// to a neighbour (or to nobody) and ``follow(_:)`` reports the move so the screen can
/// say it.
public struct WaitingListKeys: Sendable, Hashable {
    /// What a key asks the room to do.
    public enum Action: Sendable, Hashable {
        /// Send `waiting.admit` for this member.
        case admit(MemberID)
        /// Ask for confirmation before declining this member (their alias given).
        case confirmDecline(MemberID, alias: String)
        /// Send `waiting.decline` for this member (confirmed).
        case decline(MemberID)
    }

    /// The selection moved because the selected person left the waiting list.
    public struct Move: Sendable, Hashable {
        /// The alias of the person who left.
        public let left: String
        /// The person selected now, if anyone is waiting.
        public let selected: WaitingEntry?
    }

    /// The selected member (pinned by ``follow(_:)``; `nil` when nobody waits).
    public private(set) var selected: MemberID?
    /// The member a first Alt-d asked about, until confirmed or cancelled.
    public private(set) var pendingDecline: MemberID?
    /// The list as last followed, to find the neighbours of someone who left.
    private var shown: [WaitingEntry] = []

    /// Nothing selected yet.
    public init() {}

    /// The selected entry among `waiting`, if the selected person is in it.
    public func selection(in waiting: [WaitingEntry]) -> WaitingEntry? {
        waiting.first { $0.member == selected }
    }

    /// Reconciles the selection with a new waiting list: the selected person stays
    /// selected wherever they now stand; with nobody selected, the first person is; when
    /// the selected person left, the one after them (else before them, else the first,
    /// else nobody) is, and the move is returned. A pending decline of someone no longer selected lapses.
    @discardableResult
    public mutating func follow(_ waiting: [WaitingEntry]) -> Move? {
        defer {
            shown = waiting
            if pendingDecline != selected { pendingDecline = nil }
        }
        let present = Set(waiting.map(\.member))
        guard let current = selected else {
            selected = waiting.first?.member
            return nil
        }
        if present.contains(current) { return nil }
        guard let index = shown.firstIndex(where: { $0.member == current }) else {
            selected = waiting.first?.member
            return Move(left: current.rawValue, selected: waiting.first)
        }
        let after = shown[(index + 1)...].first { present.contains($0.member) }
        let before = shown[..<index].last { present.contains($0.member) }
        let neighbour = (after ?? before).flatMap { neighbour in waiting.first { $0.member == neighbour.member } }
        let next = neighbour ?? waiting.first
        selected = next?.member
        return Move(left: shown[index].alias, selected: next)
    }

    /// Handles `key`; returns `nil` when the key is not a waiting-list key (it then
    /// goes to the input line) and an action, or `.some(nil)`, when it was consumed.
    /// Alt-a and Alt-d act only on the selected person as shown; with nobody
    /// selected they do nothing.
    public mutating func handle(_ key: Key, waiting: [WaitingEntry]) -> Action?? {
        guard case .alt(let letter) = key, !waiting.isEmpty else {
            pendingDecline = nil
            return nil
        }
        let current = selection(in: waiting)
        switch letter {
        case "a":
            pendingDecline = nil
            return .some(current.map { .admit($0.member) })
        case "d":
            guard let current else { return .some(nil) }
            if pendingDecline == current.member {
                pendingDecline = nil
                return .some(.decline(current.member))
            }
            pendingDecline = current.member
            return .some(.confirmDecline(current.member, alias: current.alias))
        case "n", "p":
            pendingDecline = nil
            guard let current, let index = waiting.firstIndex(of: current) else {
                selected = (letter == "n" ? waiting.first : waiting.last)?.member
                return .some(nil)
            }
            let step = letter == "n" ? 1 : waiting.count - 1
            selected = waiting[(index + step) % waiting.count].member
            return .some(nil)
        default:
            pendingDecline = nil
            return nil
        }
    }
}
