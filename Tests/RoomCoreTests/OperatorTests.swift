import RoomCore
import Testing

/// An operator ending a session from outside the room (the admin API).
@Suite("Operator ends a session") struct OperatorTests {
    @Test func anOperatorEndIsAFacilitatorEndAuditedWithTheOperatorAsActor() {
        var h = Harness.session(["p1", "p2"])
        h.advance(.seconds(30))
        let end = h.room.operatorEndedSession(by: "op-olu", at: h.now)
        #expect(end.deliveries.map(\.recipients) == [["f1", "p1", "p2"]])
        #expect(end.deliveries.first?.envelope.event == .sessionEnded)
        #expect(end.attendance == Array(repeating: .left(.sessionEnded), count: 3))
        let audit = end.moderation
        #expect(audit.map(\.action) == [.sessionEnded])
        #expect(audit.first?.actor == "op-olu")
        #expect(audit.first?.at == h.now)
        #expect(end.disconnects.count == 3)
        #expect(h.room.isEnded)
        #expect(h.room.memberIDs.isEmpty)
    }

    @Test func thereIsNothingToEndInAnEmptyOrEndedRoom() {
        var empty = Harness()
        #expect(empty.room.operatorEndedSession(by: "op-olu", at: empty.now).isEmpty)
        #expect(!empty.room.isEnded)
        var h = Harness.session(["p1"])
        h.send(.endSession, from: "f1")
        #expect(h.room.operatorEndedSession(by: "op-olu", at: h.now).isEmpty)
    }
}
