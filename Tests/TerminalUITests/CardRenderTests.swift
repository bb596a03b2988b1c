import RoomClient
import RoomCore
import RoomProtocol
import Testing

@testable import TerminalUI

/// The skills card on the full screen: a hint in the side panel, the card over the
/// room while Alt-c holds it open, at 80×24 and 60×20.
struct CardRenderTests {
    static let card = CardInfo(
        card: 1, skillsCard: SkillsCardCatalogue.grounding, scope: .room,
        shownAt: Timestamp(millisecondsSinceEpoch: RenderTests.t0))

    @Test(arguments: [(80, 24), (60, 20)])
    func theCardOpensOverTheRoomWithItsPrivateFields(width: Int, height: Int) {
        var state = ToolkitRenderTests.with(
            [
                .cardShown(Self.card),
                .cardFields(CardFields(card: 1, values: [ConfidentialText("the cold window")])),
            ], role: .participant)
        let room = RoomScreen.render(state, width: width, height: height).lines
        #expect(room.contains { $0.contains("Card (Alt-c)") })
        state.showCard = true
        let open = RoomScreen.render(state, width: width, height: height).lines
        #expect(open.contains { $0.contains("Skills card: Grounding: 5-4-3-2-1") })
        #expect(open.contains { $0.contains("5: name five things you can see.") })
        #expect(open.contains { $0.contains("1) What helped me come back: the cold window") })
        #expect(open.contains { $0.contains("Alt-c: back to the room") })
        #expect(!open.contains { $0.contains("Card (Alt-c)") }, "the side panel is covered")
    }

    @Test func withoutACardAltCChangesNothingOnScreen() {
        var state = ToolkitRenderTests.with([], role: .participant)
        let before = RoomScreen.render(state, width: 80, height: 24).lines
        state.showCard = true
        #expect(RoomScreen.render(state, width: 80, height: 24).lines == before)
    }
}
