import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// The room's life on the full screen at 80×24 and 60×20: the floor in the header and
/// "you have the floor" for its holder, quiet notices in the pane, the time column,
/// the agreement folded once accepted, and a roster that narrows on small screens.
struct RoomLifeRenderTests {
    static func show(_ state: inout ScreenState, _ event: RoomEvent, time: Int64 = RenderTests.t0) {
        var model = state.model
        let message = ServerMessage.event(sequence: (model.lastSequence ?? 0) + 1, time: time, event)
        model.apply(message, receivedAt: RenderTests.t0)
        TerminalApp.show(message, model: model, on: &state)
    }

    static let roster = Roster(
        entries: [
            RosterEntry(
                member: "f", alias: "Dana", role: .facilitator, presence: .here, queuePosition: nil, muted: false),
            RosterEntry(
                member: "p", alias: "River", role: .participant, presence: .here, queuePosition: nil, muted: false),
        ], floor: "p")

    @Test(arguments: [(80, 24), (60, 20)])
    func theFloorHolderIsToldAndTheOthersSeeWhoHasIt(width: Int, height: Int) {
        var river = RenderTests.state(role: .participant)
        Self.show(&river, .roster(Self.roster))
        let mine = RoomScreen.render(river, width: width, height: height).lines
        #expect(mine[0].contains("YOU HAVE THE FLOOR"), "\(mine[0])")
        #expect(mine.contains { $0.contains("You have the floor.") }, "a quiet line in the pane")
        var dana = RenderTests.state(role: .facilitator)
        Self.show(&dana, .roster(Self.roster))
        let theirs = RoomScreen.render(dana, width: width, height: height).lines
        #expect(theirs[0].contains("floor: River"))
        #expect(theirs.contains { $0.contains("River has the floor.") })
        #expect(theirs.contains { $0.contains("美咲 left.") })
        #expect(theirs.allSatisfy { $0.count <= width })
    }

    @Test func theRosterNarrowsOnSmallScreens() {
        #expect(RoomScreen.sideWidth(80) == 26)
        #expect(RoomScreen.sideWidth(60) == 26)
        #expect(RoomScreen.sideWidth(59) == 16)
        #expect(RoomScreen.sideWidth(44) == 16)
        #expect(RoomScreen.sideWidth(43) == 0)
        let state = RenderTests.state(role: .participant)
        let lines = RoomScreen.render(state, width: 50, height: 20).lines
        #expect(lines.contains { $0.contains("│  Dana [fac]") }, "a narrow roster, not none: \(lines)")
        #expect(lines.allSatisfy { $0.count <= 50 })
    }

    @Test func altTShowsTheTimeOfEachLine() {
        var state = RenderTests.state(role: .participant)
        Self.show(&state, .chatPauseChanged(paused: true), time: RenderTests.t0 + 125 * 60_000)
        state.utcOffsetSeconds = 0
        #expect(!RoomScreen.render(state, width: 80, height: 24).lines.contains { $0.hasPrefix("18:") })
        state.showTimes = true
        let lines = RoomScreen.render(state, width: 80, height: 24).lines
        // t0 is 2025-11-24 16:00:00 UTC; the event came 125 minutes later.
        #expect(lines.contains { $0.hasPrefix("18:05 Group chat is paused.") }, "\(lines)")
        state.utcOffsetSeconds = -5 * 3600
        #expect(RoomScreen.render(state, width: 80, height: 24).lines.contains { $0.hasPrefix("13:05 Group chat") })
    }

    @Test func theAgreementFoldsToOneLineOnceAccepted() {
        var state = RenderTests.state(role: .participant, admitted: false)
        #expect(state.pane.contains { $0.text == "What is said here stays here." })
        Self.show(&state, .waitingForAdmission)
        #expect(!state.pane.contains { $0.text == "What is said here stays here." })
        #expect(state.pane.contains { $0.text == "Group agreement (version 2026-11) accepted." })
    }
}
