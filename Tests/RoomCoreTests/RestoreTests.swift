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

    /// A participant in crisis when the old node died must not be forgotten: the alert
    /// is open on the new node, every facilitator sees it on arrival (under the member's
    /// id until the member is back, then under their alias), it is acknowledged by its
    /// old id, and a new alert takes an id the session never used.
    @Test func anOpenCrisisAlertIsOpenAgainForEveryFacilitator() {
        var h = Harness()
        let raisedAt = Timestamp(millisecondsSinceEpoch: h.now.millisecondsSinceEpoch - 30_000)
        var kept = places()
        kept.openAlerts = [OpenAlertPlace(id: AlertID(3), member: "p1", raisedAt: raisedAt)]
        kept.lastAlertID = 4
        _ = h.room.restore(kept, at: h.now)
        let facilitator = h.connect("f1")
        let seen = facilitator.events(to: "f1").compactMap(\.snapshot).first?.openAlerts
        #expect(seen == [CrisisAlertInfo(id: AlertID(3), member: "p1", alias: "p1", raisedAt: raisedAt)])
        let second = h.connect("f2")
        #expect(second.events(to: "f2").compactMap(\.snapshot).first?.openAlerts.map(\.id) == [AlertID(3)])

        let back = h.connect("p1")
        let named = CrisisAlertInfo(id: AlertID(3), member: "p1", alias: "P1", raisedAt: raisedAt)
        #expect(back.events(to: "f1").contains(.crisisAlertRaised(named)))
        #expect(back.events(to: "f2").contains(.crisisAlertRaised(named)))
        #expect(back.events(to: "p1").allSatisfy { $0.snapshot?.openAlerts.isEmpty ?? true })

        let ack = h.send(.acknowledgeCrisis(AlertID(3)), from: "f2")
        #expect(ack.refusals.isEmpty && ack.moderation.map(\.alert) == [AlertID(3)])
        h.connect("p2")
        let next = h.send(.crisisAlert, from: "p2")
        #expect(next.events(to: "p2") == [.crisisAlertReceived(alert: AlertID(5), facilitatorsNotified: 2)])
    }

    /// An alert left open goes into the audit as open at the end if the session ends
    /// before anyone acknowledges it, as on the node that raised it.
    @Test func anUnacknowledgedRestoredAlertIsAuditedAtTheEnd() {
        var h = Harness()
        var kept = places()
        kept.openAlerts = [OpenAlertPlace(id: AlertID(1), member: "p2", raisedAt: h.now)]
        _ = h.room.restore(kept, at: h.now)
        h.connect("f1")
        let end = h.send(.endSession, from: "f1")
        #expect(end.moderation.contains { $0.action == .crisisAlertOpenAtEnd && $0.alert == AlertID(1) })
    }
}
