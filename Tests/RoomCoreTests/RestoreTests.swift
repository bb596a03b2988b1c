import RoomCore
import Testing

@Suite("A room taken over by another node restores places, never content")
struct RestoreTests {
    let version = GroupAgreement.sample.version

    func places() -> RoomPlaces {
        RoomPlaces(
            admitted: ["f1": .facilitator, "p1": .participant, "p2": .participant],
            consents: ["p1": version, "p2": version, "p3": version, "p4": version],
            removed: ["p3"], declined: ["p4"])
    }

    @Test func anAdmittedParticipantReturnsAdmittedWithoutAWaitingRoom() {
        var h = Harness()
        #expect(h.room.restore(places(), at: h.now).isEmpty)
        h.connect("p1")  // before any facilitator is back
        #expect(h.room.status(of: "p1")?.stage == .admitted)
        #expect(h.room.returningMembers == ["p2"])
        h.connect("f1")
        #expect(h.room.status(of: "f1")?.stage == .admitted)
        h.connect("p2")
        #expect(h.room.status(of: "p2")?.stage == .admitted)
        #expect(h.room.returningMembers.isEmpty)
    }

    /// A client of the previous node resumes with that node's last sequence number
    /// (here far above this room's own count) and drops events numbered at or below it:
    /// it gets a fresh snapshot numbered above anything before the takeover.
    @Test func aClientOfThePreviousNodeGetsASnapshotNumberedAfterItsEvents() {
        var h = Harness()
        _ = h.room.restore(places(), at: h.now)
        let seenOnTheOldNode: SequenceNumber = 5_000
        let back = h.connect("f1", lastSequence: seenOnTheOldNode)
        let snapshots = back.deliveries.filter { $0.envelope.event.snapshot != nil }
        #expect(snapshots.count == 1)
        #expect(snapshots.allSatisfy { $0.envelope.sequence > seenOnTheOldNode })
        #expect(
            back.deliveries.allSatisfy { $0.envelope.sequence > SequenceNumber(h.now.millisecondsSinceEpoch) << 10 })
        // A second takeover, a moment later, numbers after the first one's events.
        let first = h.room.currentSequence
        var next = Harness()
        next.advance(.milliseconds(1))
        _ = next.room.restore(places(), at: next.now)
        let again = next.connect("f1", lastSequence: first)
        #expect(again.deliveries.allSatisfy { $0.envelope.sequence > first })
    }

    @Test func removedAndDeclinedMembersStayOut() {
        var h = Harness()
        _ = h.room.restore(places(), at: h.now)
        let removed = h.connect("p3")
        #expect(removed == [.disconnect("p3", ConnectionID(1), .refused(.removed))])
        let declined = h.connect("p4")
        #expect(declined == [.disconnect("p4", ConnectionID(2), .refused(.declined))])
        #expect(h.room.status(of: "p3") == nil && h.room.status(of: "p4") == nil)
    }

    @Test func aNewcomerWaitsAndAConsentIsKept() {
        var h = Harness()
        _ = h.room.restore(RoomPlaces(consents: ["p5": version]), at: h.now)
        h.connect("f1")
        h.connect("p5")  // accepted the agreement on the old node: straight to the waiting room
        #expect(h.room.status(of: "p5")?.stage == .waiting)
        h.connect("p6")
        #expect(h.room.status(of: "p6")?.stage == .needsAgreement)
    }

    @Test func aReturningParticipantIsAdmittedOnceOnly() {
        var h = Harness()
        _ = h.room.restore(places(), at: h.now)
        h.connect("f1")
        h.connect("p1")
        h.drop("p1", cause: .closedByClient)  // left for good: a later arrival waits, as on any node
        h.connect("p1")
        #expect(h.room.status(of: "p1")?.stage == .waiting)
    }

    @Test func aLockedRoomLetsItsPlacesBackIn() {
        var h = Harness()
        _ = h.room.restore(places(), at: h.now)
        h.connect("f1")
        h.send(.lockRoom, from: "f1")
        h.connect("p1")
        #expect(h.room.status(of: "p1")?.stage == .admitted)
        let stranger = h.connect("p9")
        #expect(stranger.count == 1 && h.room.status(of: "p9") == nil)
    }

    @Test func aRoomWithMembersIgnoresARestore() {
        var h = Harness.session(["p1"])
        let before = h.room
        #expect(h.room.restore(RoomPlaces(removed: ["p1"]), at: h.now).isEmpty)
        #expect(h.room == before)
    }

    @Test func anEndedSessionGivesWayToTheRestoredOne() {
        var h = Harness.session(["p1"])
        h.send(.endSession, from: "f1")
        h.drop("f1", cause: .closedByClient)
        h.drop("p1", cause: .closedByClient)
        #expect(h.room.isEnded)
        _ = h.room.restore(places(), at: h.now)
        #expect(!h.room.isEnded)
        h.connect("p2")
        #expect(h.room.status(of: "p2")?.stage == .admitted)
    }
}
