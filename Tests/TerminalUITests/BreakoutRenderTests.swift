import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// The breakout on the full screen: the header names the group and the countdown, at 80×24 and 60×20.
struct BreakoutRenderTests {
    static func status(visitor: Bool) -> BreakoutStatus {
        BreakoutStatus(
            run: 1, groupCount: 3, endsAt: Timestamp(millisecondsSinceEpoch: RenderTests.t0 + 272_000),
            groups: [
                BreakoutGroupInfo(
                    number: 2, members: [BreakoutMember(member: "p", alias: "River")],
                    visitors: visitor ? [BreakoutMember(member: "f", alias: "Dana")] : [], hands: [], floor: nil)
            ])
    }

    @Test(arguments: [(80, 24), (60, 20)])
    func theHeaderShowsTheGroupAndTheCountdown(width: Int, height: Int) {
        var state = ToolkitRenderTests.with([.breakout(Self.status(visitor: false))], role: .participant)
        state.serverNow = RenderTests.t0
        let header = RoomScreen.render(state, width: width, height: height).lines[0]
        #expect(header.contains("group 2 of 3 4:32"), "\(header)")
        var back = ToolkitRenderTests.with(
            [.breakout(Self.status(visitor: false)), .breakoutEnded(BreakoutEnd(run: 1, reason: .ended))],
            role: .participant)
        back.serverNow = RenderTests.t0
        #expect(!RoomScreen.render(back, width: width, height: height).lines[0].contains("of 3"))
    }

    @Test func aFacilitatorSeesTheGroupTheyVisitOrTheBreakout() {
        var visiting = ToolkitRenderTests.with([.breakout(Self.status(visitor: true))], role: .facilitator)
        visiting.serverNow = RenderTests.t0
        #expect(RoomScreen.breakoutHeader(visiting) == "group 2 of 3 4:32")
        var none = ToolkitRenderTests.with([.breakout(Self.status(visitor: false))], role: .facilitator)
        none.serverNow = RenderTests.t0
        #expect(RoomScreen.breakoutHeader(none) == "breakout, 3 groups 4:32")
        let lines = RoomScreen.render(none, width: 80, height: 24).lines
        #expect(lines.contains { $0.contains("/visit N to join one") }, "the status in the pane")
    }
}
