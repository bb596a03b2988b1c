import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// The toolkit on the full screen: the poll and the cues in the side panel, the
/// quiet members marked in the roster, the events in the message pane, at 80×24 and 60×20.
struct ToolkitRenderTests {
    static func with(_ events: [RoomEvent], role: Role) -> ScreenState {
        var state = RenderTests.state(role: role)
        var sequence: UInt64 = 100
        for event in events {
            sequence += 1
            let message = ServerMessage.event(sequence: sequence, time: RenderTests.t0, event)
            state.model.apply(message, receivedAt: RenderTests.t0)
            state.append(TerminalApp.paneLines(for: message, in: state.model))
        }
        return state
    }

    static let poll = PollInfo(
        poll: 1, question: ConfidentialText("How rested?"),
        choices: .options(["well", "so-so"].map(ConfidentialText.init)), audience: .group,
        openedAt: Timestamp(millisecondsSinceEpoch: RenderTests.t0), closesAt: nil)

    static let report = BalanceReport(
        since: Timestamp(millisecondsSinceEpoch: RenderTests.t0),
        entries: [
            BalanceEntry(
                member: "p", alias: "River", present: true, messages: 2, hands: 1, floorSeconds: 30,
                checkInsAnswered: 0, checkInsPassed: 0, awaySeconds: 0, notYetHeard: false),
            BalanceEntry(
                member: "q", alias: "美咲", present: true, messages: 0, hands: 0, floorSeconds: 0, checkInsAnswered: 0,
                checkInsPassed: 0, awaySeconds: 0, notYetHeard: true),
        ])

    @Test(arguments: [(80, 24), (60, 20)])
    func aFacilitatorSeesThePollTheCuesAndTheQuiet(width: Int, height: Int) {
        let state = Self.with(
            [
                .pollOpened(Self.poll), .pollProgress(PollProgress(poll: 1, answered: 1, eligible: 2)),
                .cueChanged(CueChange(member: "p", alias: "River", cue: .pause)), .balance(Self.report),
            ], role: .facilitator)
        let lines = RoomScreen.render(state, width: width, height: height).lines
        #expect(lines.contains { $0.contains("Poll 1 (anonymous)") })
        #expect(lines.contains { $0.contains("1 of 2 answered") })
        #expect(!lines.contains { $0.contains("Poll 1: 1 of 2 answered.") }, "progress in the panel, not the pane")
        #expect(lines.contains { $0.contains("River: pause") })
        #expect(lines.contains { $0.contains("Not yet heard (1)") })
        #expect(lines.contains { $0.contains("美咲 [reconnecting] (qui") }, "the roster marks the quiet")
        #expect(lines.contains { $0.contains("rested?") }, "the question in the pane")
        let quiet = state.model.roster.entries.first { $0.member == "q" }!
        #expect(RoomScreen.toolkitMarks(quiet, state.model) == " (quiet)")
    }

    @Test func aParticipantSeesThePollAndTheResults() {
        let open = Self.with([.pollOpened(Self.poll)], role: .participant)
        let lines = RoomScreen.render(open, width: 80, height: 24).lines
        #expect(lines.contains { $0.contains("/vote to answer") })
        #expect(lines.contains { $0.contains("1) well  2) so-so") })
        let closed = Self.with(
            [.pollOpened(Self.poll), .pollClosed(PollResults(poll: 1, counts: [1, 1], answered: 2, reason: .closed))],
            role: .participant)
        let after = RoomScreen.render(closed, width: 80, height: 24).lines
        #expect(after.contains { $0.contains("Poll 1 closed: well: 1, so-so: 1 (2 answered)") })
        #expect(!after.contains { $0.contains("/vote to answer") })
    }
}
