import RoomCore
import Testing

@Suite("Members the program expects go in on accepting the agreement; others wait")
struct AdmitOnArrivalTests {
    @Test func anExpectedParticipantIsAdmittedWithoutAFacilitatorAndOthersWait() {
        var h = Harness()
        h.connect("f1")
        h.room.admitOnArrival(["p1"])
        h.connect("p1")
        let expected = h.send(.acceptAgreement(version: GroupAgreement.sample.version), from: "p1")
        #expect(h.room.status(of: "p1")?.stage == .admitted)
        #expect(
            expected.records.contains(
                .attendance(AttendanceRecord(member: "p1", role: .participant, event: .admitted(by: nil), at: h.now))))
        h.connect("p2")
        h.send(.acceptAgreement(version: GroupAgreement.sample.version), from: "p2")
        #expect(h.room.status(of: "p2")?.stage == .waiting)
    }

    @Test func theSetAppliesToLaterAcceptancesOnlyAndCarriesToTheNextSession() {
        var h = Harness()
        h.connect("f1")
        h.connect("p1")
        h.send(.acceptAgreement(version: GroupAgreement.sample.version), from: "p1")
        #expect(h.room.status(of: "p1")?.stage == .waiting)
        h.room.admitOnArrival(["p1", "p2"])
        #expect(h.room.status(of: "p1")?.stage == .waiting)  // already waiting: a facilitator decides
        h.send(.endSession, from: "f1")
        #expect(h.room.isEnded)
        h.connect("p2")  // the next session opens with this arrival
        #expect(!h.room.isEnded)
        #expect(h.room.admittedOnArrival == ["p1", "p2"])
        h.send(.acceptAgreement(version: GroupAgreement.sample.version), from: "p2")
        #expect(h.room.status(of: "p2")?.stage == .admitted)
    }

    @Test func anEmptySetChangesNothing() {
        var h = Harness()
        h.connect("f1")
        h.room.admitOnArrival([])
        h.connect("p1")
        h.send(.acceptAgreement(version: GroupAgreement.sample.version), from: "p1")
        #expect(h.room.status(of: "p1")?.stage == .waiting)
    }
}
