import RoomCore
import Testing

/// A `chat.removed` goes to those who received the message, never to a member who
/// did not (a late joiner without backlog, a participant in a side room at the time).
@Suite("Removal audience")
struct RemovalAudienceTests {
    private func removalRecipients(_ effects: [Effect]) -> [[MemberID]] {
        effects.deliveries { if case .messageRemoved = $0 { true } else { false } }.map(\.recipients)
    }

    @Test func onlyThoseWhoReceivedAMessageHearOfItsRemoval() {
        var h = Harness.session(["p1", "p3"])
        h.send(.openSideRoom(with: "p3"), from: "f1")
        h.send(.sendChat(text("before p2 came")), from: "p1")
        h.send(.closeSideRoom(with: "p3"), from: "f1")
        h.join("p2")
        let redaction = h.send(.redactMessage(MessageID(1)), from: "f1")
        #expect(removalRecipients(redaction) == [["f1", "p1"]])
    }

    @Test func aLateJoinerWhoGotItInTheBacklogHearsOfItsRemoval() {
        var h = Harness.session(["p1"], policy: RoomPolicy(lateJoinersSeeBacklog: true))
        h.send(.sendChat(text("before p2 came")), from: "p1")
        h.join("p2")
        let deletion = h.send(.deleteMessage(MessageID(1)), from: "p1")
        #expect(removalRecipients(deletion) == [["f1", "p1", "p2"]])
    }
}
