import RoomCore
import RoomProtocol

/// The rooms of a several-room join as `iop` shows them: which room is in front,
/// an activity mark per room behind, and every open crisis alert of every room,
/// whatever room is in front. Built only from what each room's connection reports;
/// pure (no clock, no I/O), so the switching rules are tested directly.
public struct RoomTabs: Sendable {
    /// One room.
    public struct Tab: Sendable {
        /// The room id, as given on the command line.
        public let room: String
        /// The room as its server messages describe it.
        public fileprivate(set) var model = RoomViewModel()
        /// What happened while the room was behind.
        public fileprivate(set) var marks = ActivityMarks()
        /// Why its connection ended for good, once it has.
        public fileprivate(set) var closed: ClientFailure?

        /// The room's title, or its id before the room said it.
        public var name: String { model.title.isEmpty ? room : model.title }
    }

    /// An open crisis alert and the room it was raised in.
    public struct Alert: Sendable, Hashable {
        /// The room's index in ``RoomTabs/tabs``.
        public let index: Int
        /// The room id.
        public let room: String
        /// The alert.
        public let alert: CrisisAlertInfo
    }

    /// The rooms, in the order given.
    public private(set) var tabs: [Tab]
    /// The index of the room in front.
    public private(set) var front = 0

    /// Tabs for `rooms` (at least one), the first in front.
    public init(rooms: [String]) {
        tabs = (rooms.isEmpty ? [""] : rooms).map { Tab(room: $0) }
    }

    /// More than one room: the tab strip, room prefixes and room keys are shown.
    public var isSeveral: Bool { tabs.count > 1 }

    /// Takes a message of room `index` (with its model after the message); marks the
    /// room's activity when it is behind. Returns true for a crisis alert raised (or
    /// raised again) in any room: the caller rings the bell.
    @discardableResult
    public mutating func received(_ message: ServerMessage, model: RoomViewModel, in index: Int) -> Bool {
        guard tabs.indices.contains(index) else { return false }
        if index != front { tabs[index].marks.note(message, before: tabs[index].model) }
        tabs[index].model = model
        if case .event(_, _, .crisisAlertRaised) = message { return true }
        return false
    }

    /// Room `index`'s connection ended for good.
    public mutating func closed(_ index: Int, _ failure: ClientFailure) {
        guard tabs.indices.contains(index) else { return }
        tabs[index].closed = failure
    }

    /// Every room's connection has ended.
    public var allClosed: Bool { tabs.allSatisfy { $0.closed != nil } }

    /// Brings room `index` to the front and clears its marks; false when there is no such room.
    @discardableResult
    public mutating func bringToFront(_ index: Int) -> Bool {
        guard tabs.indices.contains(index) else { return false }
        front = index
        tabs[index].marks = ActivityMarks()
        return true
    }

    /// Brings the next room (after the last, the first) to the front.
    public mutating func next() { bringToFront((front + 1) % tabs.count) }

    /// Brings the previous room (before the first, the last) to the front.
    public mutating func previous() { bringToFront((front + tabs.count - 1) % tabs.count) }

    /// Open crisis alerts of the rooms behind, in room order then the order raised:
    /// each stays until it is acknowledged in its room (by anyone), whatever is in front.
    public var alertsBehind: [Alert] {
        tabs.indices.filter { $0 != front }.flatMap { index in
            tabs[index].model.openAlerts.map { Alert(index: index, room: tabs[index].room, alert: $0) }
        }
    }

    /// Brings the first room behind with an open crisis alert to the front; false when none has one.
    @discardableResult
    public mutating func jumpToAlert() -> Bool {
        guard let first = alertsBehind.first else { return false }
        return bringToFront(first.index)
    }

    /// The room `name` means: its number in the strip (1–9), its id or title (ignoring
    /// case), or a unique prefix of its id.
    public func index(named name: String) -> Int? {
        let wanted = name.lowercased()
        if let number = Int(wanted), tabs.indices.contains(number - 1) { return number - 1 }
        if let exact = tabs.firstIndex(where: {
            $0.room.lowercased() == wanted || $0.model.title.lowercased() == wanted
        }) {
            return exact
        }
        let prefixed = tabs.indices.filter { tabs[$0].room.lowercased().hasPrefix(wanted) }
        return !wanted.isEmpty && prefixed.count == 1 ? prefixed[0] : nil
    }
}
