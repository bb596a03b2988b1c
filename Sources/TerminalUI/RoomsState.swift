import RoomClient
import RoomCore
import RoomProtocol

/// What the full screen shows of one or several rooms: each room's ``ScreenState``
/// and the ``RoomTabs`` (which room is in front, the marks and crisis alerts of the
/// others). Pure: the app feeds it each room's connection events and draws
/// ``render(width:height:)``; tests drive it the same way.
public struct RoomsState: Sendable {
    /// Each room's screen state, in room order.
    public private(set) var screens: [ScreenState]
    /// Which room is in front, and the marks and alerts of the others.
    public private(set) var tabs: RoomTabs

    /// What the app does after an event.
    public enum Reaction: Sendable, Hashable {
        /// Redraw.
        case redraw
        /// Ring the terminal bell (a crisis alert raised in one of several rooms), then redraw.
        case bell
        /// Every room's connection has ended: leave with this status and farewell.
        case finish(status: Int32, message: String)
    }

    /// States for `rooms` (ids, the first in front); `unverifiedServer` for `--insecure`.
    public init(rooms: [String], unverifiedServer: Bool = false) {
        var screen = ScreenState()
        screen.unverifiedServer = unverifiedServer
        screens = Array(repeating: screen, count: max(1, rooms.count))
        tabs = RoomTabs(rooms: rooms)
    }

    /// The room in front's screen state.
    public var front: ScreenState {
        get { screens[tabs.front] }
        set { screens[tabs.front] = newValue }
    }

    /// Brings room `index` to the front; the input line (and its history) goes with it.
    public mutating func switchRoom(to index: Int) {
        guard index != tabs.front, screens.indices.contains(index) else { return }
        let editor = front.editor
        front.editor = LineEditor()
        tabs.bringToFront(index)
        front.editor = editor
    }

    /// Applies room `index`'s connection event (`localNow`: the local clock in ms, for
    /// the reconnect countdown).
    public mutating func apply(_ event: RoomConnectionEvent, room index: Int, localNow: Int64) -> Reaction {
        guard screens.indices.contains(index) else { return .redraw }
        switch event {
        case .state(let connectionState):
            screens[index].connection = connectionState
            screens[index].reconnectAt = nil
            if case .reconnecting(let delay, _, _) = connectionState {
                screens[index].reconnectAt = localNow + screens[index].model.serverClockOffset + delay.milliseconds
            }
            if case .closed(let failure) = connectionState { return closed(index, failure) }
        case .message(let message, _, let model):
            TerminalApp.show(message, model: model, on: &screens[index])
            if tabs.received(message, model: model, in: index), tabs.isSeveral { return .bell }
        case .outcome(_, _, .accepted(let roundTrip)):
            screens[index].roundTrip = roundTrip
        case .outcome(_, _, .refused(let code, let message)):
            if code == "not_sent" || code == "unknown" {
                screens[index].append([PaneLine("! \(message)", kind: .error)])
            }
        }
        return .redraw
    }

    /// A room's connection ended for good: with one room the app ends; with several,
    /// the room's tab says why and the app ends when the last one has, with the
    /// status of the first room (in order) that did not end normally, else 0.
    private mutating func closed(_ index: Int, _ failure: ClientFailure) -> Reaction {
        guard tabs.isSeveral else { return .finish(status: failure.exitStatus, message: failure.description) }
        tabs.closed(index, failure)
        screens[index].append([PaneLine("* \(failure.description)", kind: .error)])
        guard tabs.allClosed else { return .redraw }
        let failures = tabs.tabs.compactMap(\.closed)
        return .finish(
            status: failures.first { $0.exitStatus != 0 }?.exitStatus ?? 0,
            message: tabs.tabs.map { "\($0.room): \($0.closed?.description ?? "")" }.joined(separator: "\n"))
    }

    /// The room in front on a `width` × `height` screen, with the tab strip and the
    /// crisis banner of the rooms behind when there are several.
    public func render(width: Int, height: Int) -> Screen {
        RoomScreen.render(front, rooms: tabs.isSeveral ? tabs : nil, width: width, height: height)
    }
}
