import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// The waiting-list selection follows the person, not the position (issue 18, item 10):
/// Alt-a admits the person the screen marked, whoever arrives or leaves around them.
struct WaitingSelectionTests {
    private static func entries(_ ids: [String]) -> [WaitingEntry] {
        ids.map {
            WaitingEntry(
                member: MemberID($0), alias: $0.capitalized, since: Timestamp(millisecondsSinceEpoch: 0),
                reconnecting: false)
        }
    }

    /// A screen state whose model shows `ids` waiting, as the connection would set it.
    private static func show(_ ids: [String], on state: inout ScreenState) {
        var model = state.model
        model.apply(.waitingRoom(entries(ids)))
        state.model = model
    }

    private static func marked(_ state: ScreenState) -> MemberID? {
        state.waitingKeys.selection(in: state.model.waiting)?.member
    }

    @Test func someoneArrivingAboveDoesNotTakeTheMarkedPlace() {
        var state = ScreenState()
        Self.show(["river"], on: &state)
        #expect(Self.marked(state) == "river", "the only person waiting is marked")
        Self.show(["robin", "river"], on: &state)  // Robin now stands above River
        #expect(Self.marked(state) == "river", "the mark stays on River")
        #expect(state.waitingKeys.handle(.alt("a"), waiting: state.model.waiting) == .some(.admit("river")))
        #expect(state.pane.isEmpty, "nobody left: nothing to say")
    }

    @Test func aPendingDeclineStaysWithItsPersonAcrossArrivals() {
        var state = ScreenState()
        Self.show(["river", "sky"], on: &state)
        _ = state.waitingKeys.handle(.alt("n"), waiting: state.model.waiting)
        #expect(
            state.waitingKeys.handle(.alt("d"), waiting: state.model.waiting)
                == .some(.confirmDecline("sky", alias: "Sky")))
        Self.show(["robin", "river", "sky"], on: &state)
        #expect(state.waitingKeys.handle(.alt("d"), waiting: state.model.waiting) == .some(.decline("sky")))
    }

    @Test func whenTheMarkedPersonLeavesTheNeighbourIsMarkedAndTheScreenSaysSo() {
        var state = ScreenState()
        Self.show(["river", "sky", "robin"], on: &state)
        _ = state.waitingKeys.handle(.alt("n"), waiting: state.model.waiting)
        #expect(
            state.waitingKeys.handle(.alt("d"), waiting: state.model.waiting)
                == .some(.confirmDecline("sky", alias: "Sky")))
        Self.show(["river", "robin"], on: &state)
        #expect(Self.marked(state) == "robin", "the one after Sky, not the first in the list")
        #expect(state.pane.map(\.text) == ["Sky is no longer waiting; selected: Robin."])
        #expect(state.waitingKeys.pendingDecline == nil, "the decline asked about Sky lapses")
        #expect(
            state.waitingKeys.handle(.alt("d"), waiting: state.model.waiting)
                == .some(.confirmDecline("robin", alias: "Robin")),
            "a single Alt-d after the move only asks")
        Self.show(["river"], on: &state)
        #expect(Self.marked(state) == "river", "the last one left: the one before")
        Self.show([], on: &state)
        #expect(Self.marked(state) == nil)
        #expect(state.pane.last?.text == "River is no longer waiting; nobody is waiting.")
        #expect(state.waitingKeys.handle(.alt("a"), waiting: state.model.waiting) == nil)
    }

    @Test func withNobodyMarkedAltAAdmitsNobody() {
        var keys = WaitingListKeys()
        let waiting = Self.entries(["river"])
        #expect(keys.handle(.alt("a"), waiting: waiting) == .some(nil), "a list the screen never showed: no guess")
        #expect(keys.handle(.alt("n"), waiting: waiting) == .some(nil))
        #expect(keys.handle(.alt("a"), waiting: waiting) == .some(.admit("river")), "once marked, admitted")
    }
}
