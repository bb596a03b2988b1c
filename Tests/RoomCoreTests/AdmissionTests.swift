import RoomCore
import Testing

@Suite("Agreement, waiting room, lock and capacity")
struct AdmissionTests {
    private func envelope(_ sequence: SequenceNumber, _ time: Timestamp, _ event: RoomEvent) -> EventEnvelope {
        EventEnvelope(sequence: sequence, time: time, event: event)
    }

    @Test func participantSeesOnlyTheAgreementThenWaitsThenIsAdmitted() {
        var h = Harness()
        h.connect("f1")
        #expect(h.room.currentSequence == 2)
        h.advance(.seconds(1))
        let t = h.now

        let arrival = h.connect("p1")
        #expect(
            arrival == [
                .record(.attendance(AttendanceRecord(member: "p1", role: .participant, event: .connected, at: t))),
                .deliver(Delivery(envelope: envelope(3, t, .agreementRequired(.sample)), recipients: ["p1"])),
            ])

        let accepted = h.send(.acceptAgreement(version: "2024-1"), from: "p1")
        #expect(
            accepted == [
                .acknowledge("c1", to: "p1"),
                .record(
                    .attendance(
                        AttendanceRecord(member: "p1", role: .participant, event: .consented(version: "2024-1"), at: t))
                ),
                .deliver(Delivery(envelope: envelope(4, t, .waitingForAdmission), recipients: ["p1"])),
                .deliver(
                    Delivery(
                        envelope: envelope(
                            5, t, .waitingRoom([WaitingEntry(member: "p1", alias: "P1", since: t, reconnecting: false)])
                        ),
                        recipients: ["f1"])),
            ])

        h.advance(.seconds(30))
        let admitted = h.send(.admit("p1"), from: "f1")
        #expect(admitted.first == .acknowledge("c2", to: "f1"))
        #expect(admitted.attendance == [.admitted(by: "f1")])
        #expect(admitted.moderation.map(\.action) == [.admitted])
        let snapshots = admitted.deliveries(where: { $0.snapshot != nil })
        #expect(snapshots.map(\.recipients) == [["p1"]])
        #expect(snapshots.first?.envelope.event.snapshot?.roster.entries.map(\.member) == ["f1", "p1"])
        #expect(admitted.deliveries(where: { $0.roster != nil }).map(\.recipients) == [["p1"], ["f1"]])
        #expect(admitted.events(to: "f1").last == .waitingRoom([]))
        #expect(h.room.status(of: "p1")?.stage == .admitted)
    }

    @Test func nothingReachesAParticipantBeforeAgreementOrAdmission() {
        var h = Harness.session(["p1"])
        h.connect("p2")
        var effects = h.send(.sendChat(text("hello")), from: "p1")
        #expect(effects.events(to: "p2").isEmpty)
        #expect(h.send(.sendChat(text("hi")), from: "p2").refusals == [.agreementRequired])
        #expect(h.send(.raiseHand, from: "p2").refusals == [.agreementRequired])
        h.send(.acceptAgreement(version: "2024-1"), from: "p2")
        effects = h.send(.sendChat(text("again")), from: "p1")
        #expect(effects.events(to: "p2").isEmpty)
        #expect(h.send(.sendChat(text("hi")), from: "p2").refusals == [.notAdmitted])
    }

    @Test func wrongAgreementVersionIsRefused() {
        var h = Harness.session([])
        h.connect("p1")
        let effects = h.send(.acceptAgreement(version: "2019"), from: "p1")
        #expect(effects == [.refuse("c1", to: "p1", .agreementVersionMismatch)])
        #expect(h.room.status(of: "p1")?.stage == .needsAgreement)
    }

    @Test func autoAdmitSkipsTheWaitingRoom() {
        var h = Harness(policy: RoomPolicy(autoAdmit: true))
        h.connect("f1")
        h.connect("p1")
        let effects = h.send(.acceptAgreement(version: "2024-1"), from: "p1")
        #expect(effects.attendance == [.consented(version: "2024-1"), .admitted(by: nil)])
        #expect(effects.events(to: "p1").first?.snapshot != nil)
        #expect(!effects.events(to: "p1").contains(.waitingForAdmission))
    }

    @Test func declinedParticipantIsDisconnectedAndCannotReturn() {
        var h = Harness.session([])
        h.connect("p1")
        h.send(.acceptAgreement(version: "2024-1"), from: "p1")
        let effects = h.send(.decline("p1"), from: "f1")
        #expect(effects.disconnects == [.disconnect("p1", ConnectionID(2), .declined)])
        #expect(effects.attendance == [.left(.declined)])
        #expect(h.connect("p1") == [.disconnect("p1", ConnectionID(3), .refused(.declined))])
        #expect(h.send(.admit("p1"), from: "f1").refusals == [.unknownMember])
    }

    @Test func admitRequiresAWaitingMember() {
        var h = Harness.session(["p1"])
        h.connect("p2")
        #expect(h.send(.admit("p1"), from: "f1").refusals == [.notWaiting])
        #expect(h.send(.admit("p2"), from: "f1").refusals == [.notWaiting])
        #expect(h.send(.admit("nobody"), from: "f1").refusals == [.unknownMember])
    }

    @Test func lockedRoomRefusesNewcomersButNotFacilitatorsOrResumingMembers() {
        var h = Harness.session(["p1"])
        let lock = h.send(.lockRoom, from: "f1")
        #expect(lock.events(to: "f1") == [.lockChanged(locked: true)])
        #expect(lock.events(to: "p1").isEmpty)
        #expect(h.connect("p2") == [.disconnect("p2", ConnectionID(3), .refused(.roomLocked))])
        #expect(h.connect("f2").events(to: "f2").first?.snapshot?.locked == true)
        h.drop("p1")
        h.advance(.seconds(10))
        #expect(h.connect("p1").events(to: "p1").first?.snapshot != nil)
        h.send(.unlockRoom, from: "f1")
        #expect(h.connect("p2").events(to: "p2") == [.agreementRequired(.sample)])
    }

    @Test func capacityCountsParticipantsOnly() {
        var h = Harness(capacity: 2)
        h.connect("f1")
        h.join("p1")
        h.connect("p2")
        #expect(h.connect("p3") == [.disconnect("p3", ConnectionID(4), .refused(.roomFull))])
        #expect(h.connect("f2").disconnects.isEmpty)
        h.drop("p2", cause: .closedByClient)
        #expect(h.connect("p3").disconnects.isEmpty)
    }

    @Test func memberReturningAfterLeavingKeepsConsentButWaitsAgain() {
        var h = Harness.session(["p1"])
        let left = h.drop("p1", cause: .closedByClient)
        #expect(left.attendance == [.left(.closedByClient)])
        h.advance(.seconds(60))
        let back = h.connect("p1")
        #expect(back.events(to: "p1") == [.waitingForAdmission])
        #expect(back.events(to: "f1").count == 1)
    }

    @Test func facilitatorArrivesAdmittedWithASnapshot() {
        var h = Harness()
        let effects = h.connect("f1")
        let snapshot = effects.events(to: "f1").first?.snapshot
        #expect(snapshot?.role == .facilitator)
        #expect(snapshot?.roomID == "room-a")
        #expect(h.room.status(of: "f1")?.stage == .admitted)
    }

    @Test func theRosterIsInAdmissionOrder() {
        var h = Harness.session([])
        for id in ["p1", "p2"] as [MemberID] {
            h.connect(id)
            h.send(.acceptAgreement(version: GroupAgreement.sample.version), from: id)
        }
        h.send(.admit("p2"), from: "f1")
        let admitted = h.send(.admit("p1"), from: "f1")
        #expect(admitted.events(to: "f1").compactMap(\.roster).last?.entries.map(\.member) == ["f1", "p2", "p1"])
        h.connect("f2")
        #expect(h.room.status(of: "f2")?.stage == .admitted)
        let later = h.send(.raiseHand, from: "p2")
        #expect(later.events(to: "f2").compactMap(\.roster).last?.entries.map(\.member) == ["f1", "p2", "p1", "f2"])
    }
}
