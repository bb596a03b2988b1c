import RoomCore

/// The facilitator's single keys for the waiting list: Alt-n / Alt-p move the
/// selection, Alt-a admits the selected person, Alt-d asks to turn them away and a
/// second Alt-d confirms (declining closes their connection for the session, so one
/// stray key must not do it). Any other key cancels a pending decline.
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

    /// The selected member (the first waiting one when none was chosen or they left).
    public private(set) var selected: MemberID?
    /// The member a first Alt-d asked about, until confirmed or cancelled.
    public private(set) var pendingDecline: MemberID?

    /// Nothing selected yet.
    public init() {}

    /// The selected entry among `waiting`: the chosen one if still there, else the first.
    public func selection(in waiting: [WaitingEntry]) -> WaitingEntry? {
        waiting.first { $0.member == selected } ?? waiting.first
    }

    /// Handles `key`; returns `nil` when the key is not a waiting-list key (it then
    /// goes to the input line) and an action, or `.some(nil)`, when it was consumed.
    public mutating func handle(_ key: Key, waiting: [WaitingEntry]) -> Action?? {
        guard case .alt(let letter) = key, !waiting.isEmpty, let current = selection(in: waiting) else {
            pendingDecline = nil
            return nil
        }
        switch letter {
        case "a":
            pendingDecline = nil
            return .some(.admit(current.member))
        case "d":
            if pendingDecline == current.member {
                pendingDecline = nil
                return .some(.decline(current.member))
            }
            pendingDecline = current.member
            return .some(.confirmDecline(current.member, alias: current.alias))
        case "n", "p":
            pendingDecline = nil
            let index = waiting.firstIndex { $0.member == current.member } ?? 0
            let step = letter == "n" ? 1 : waiting.count - 1
            selected = waiting[(index + step) % waiting.count].member
            return .some(nil)
        default:
            pendingDecline = nil
            return nil
        }
    }
}
