import RoomCore
import Testing

@Suite("Mute, remove and session end")
struct ModerationTests {
    private func muted(_ effects: [Effect], _ member: MemberID, seenBy viewer: MemberID) -> Bool? {
        effects.events(to: viewer).compactMap(\.roster).last?.entries.first { $0.member == member }?.muted
    }

    @Test func muteAndUnmuteOneParticipant() {
        var h = Harness.session(["p1", "p2"])
        let mute = h.send(.mute("p1"), from: "f1")
        #expect(muted(mute, "p1", seenBy: "p2") == true)
        #expect(
            mute.moderation == [
                ModerationRecord(actor: "f1", action: .muted, target: "p1", message: nil, alert: nil, at: h.now)
            ])
        #expect(h.send(.mute("f1"), from: "f1").refusals == [.invalidTarget])
        #expect(h.send(.mute("ghost"), from: "f1").refusals == [.unknownMember])
        #expect(h.send(.mute("p1"), from: "p2").refusals == [.notPermitted])
        #expect(muted(h.send(.unmute("p1"), from: "f1"), "p1", seenBy: "p1") == false)
    }

    @Test func muteAllAlsoMutesNewcomersUntilUnmuteAll() {
        var h = Harness.session(["p1"])
        h.connect("f2")
        let all = h.send(.muteAll, from: "f1")
        #expect(muted(all, "p1", seenBy: "f2") == true)
        #expect(muted(all, "f2", seenBy: "f2") == false)
        h.join("p2")
        #expect(h.room.status(of: "p2")?.muted == true)
        #expect(h.send(.sendChat(text("x")), from: "p2").refusals == [.muted])
        h.send(.unmuteAll, from: "f1")
        #expect(h.send(.sendChat(text("x")), from: "p2").refusals.isEmpty)
    }

    @Test func removedMemberIsGoneForTheRestOfTheSession() {
        var h = Harness.session(["p1", "p2"])
        h.send(.raiseHand, from: "p1")
        let removal = h.send(.remove("p1"), from: "f1")
        #expect(removal.disconnects == [.disconnect("p1", h.connections["p1"]!, .removed)])
        #expect(removal.attendance == [.left(.removed)])
        #expect(removal.moderation.map(\.action) == [.removed])
        #expect(removal.events(to: "p1").isEmpty)
        #expect(removal.events(to: "p2").compactMap(\.roster).last?.entries.map(\.member) == ["f1", "p2"])
        #expect(h.send(.sendChat(text("x")), from: "p1").refusals == [.removed])
        let again = h.connect("p1")
        #expect(again.count == 1)
        #expect(again.first.map { if case .disconnect(_, _, .refused(.removed)) = $0 { true } else { false } } == true)
        #expect(h.room.isBanned("p1"))
        #expect(h.send(.remove("f1"), from: "f1").refusals == [.invalidTarget])
    }

    @Test func removingAWaitingParticipantWorksToo() {
        var h = Harness.session([])
        h.connect("p1")
        #expect(h.send(.remove("p1"), from: "f1").attendance == [.left(.removed)])
    }

    @Test func endingTheSessionTellsEveryoneClosesAttendanceAndPurgesContent() {
        var h = Harness.session(["p1", "p2"])
        h.connect("p3")  // not agreed: still told the session ended
        h.send(.sendChat(text("secret")), from: "p1")
        h.send(.startCheckIn(templateID: "mood", timeout: .seconds(60)), from: "f1")
        h.send(.startExercise(exerciseID: "mindful-minute"), from: "f1")
        h.send(.startAgendaItem(index: 0), from: "f1")
        h.send(.crisisAlert, from: "p2")
        h.drop("p2")
        h.advance(.seconds(5))
        let command = h.nextCommandID
        let end = h.send(.endSession, from: "f1")
        #expect(end.first == .acknowledge(command, to: "f1"))
        #expect(end.deliveries.map(\.recipients) == [["f1", "p1", "p3"]])
        #expect(end.deliveries.first?.envelope.event == .sessionEnded)
        #expect(
            Set(end.timers) == [
                .cancelTimer(.reconnectWindow("p2")), .cancelTimer(.checkInDeadline(round: 1)),
                .cancelTimer(.exercisePhase(run: 1, phase: 0)), .cancelTimer(.agendaItem(run: 1)),
                .cancelTimer(.presenceGrace("p2")),
            ])
        // p2's loss, 5 s before the end and not yet announced, is kept with its own time.
        #expect(
            end.attendance == [.left(.sessionEnded), .left(.sessionEnded), .connectionLost]
                + [.left(.sessionEnded), .left(.sessionEnded)])
        #expect(end.moderation.map(\.action) == [.crisisAlertOpenAtEnd, .sessionEnded])
        #expect(end.disconnects.count == 3)
        #expect(h.room.isEnded)
        #expect(h.room.memberIDs.isEmpty)
        #expect(h.send(.sendChat(text("x")), from: "p1").refusals == [.sessionEnded])
        #expect(h.fire(.checkInDeadline(round: 1)).isEmpty)
        #expect(h.room.memberDisconnected("p1", connection: ConnectionID(1), cause: .connectionLost, at: h.now).isEmpty)
        // A client of the ended session resuming is told it ended (once), and the room stays ended.
        #expect(h.connect("p1", lastSequence: 3) == [.disconnect("p1", ConnectionID(5), .refused(.sessionEnded))])
        #expect(h.room.isEnded)
    }

    @Test func severalFacilitatorsShareTheRoom() {
        var h = Harness.session(["p1"])
        h.connect("f2")
        h.send(.raiseHand, from: "p1")
        #expect(h.send(.giveFloor(to: nil), from: "f2").refusals.isEmpty)
        #expect(h.send(.mute("p1"), from: "f2").refusals.isEmpty)
        #expect(h.send(.unmute("p1"), from: "f1").refusals.isEmpty)
    }
}
