import RoomCore
import Testing

/// The session's phases and what follows the end: rules the room keeps itself
/// (the server only carries out its effects).
@Suite("Session phase")
struct SessionPhaseTests {
    private func text(_ value: String) -> ConfidentialText { ConfidentialText(value) }

    private func isRefusal(_ effects: [Effect], _ error: RoomError) -> Bool {
        guard effects.count == 1, case .disconnect(_, _, .refused(let refusal)) = effects[0] else { return false }
        return refusal == error
    }

    @Test func anArrivalAfterTheEndOpensTheNextSession() {
        var h = Harness.session(["p1"])
        h.send(.sendChat(text("secret")), from: "p1")
        h.send(.endSession, from: "f1")
        #expect(h.room.isEnded)
        // A participant before the facilitator waits for the next session, as in a room never opened.
        let early = h.connect("p2")
        #expect(!h.room.isEnded)
        #expect(early.events(to: "p2").first == .agreementRequired(h.room.configuration.agreement))
        #expect(early.deliveries.first?.envelope.sequence == 1, "the next session numbers its events afresh")
        #expect(h.room.memberIDs == ["p2"])
        h.send(.acceptAgreement(version: "2024-1"), from: "p2")
        #expect(h.room.status(of: "p2")?.stage == .waiting)
        h.connect("f1")
        #expect(h.send(.admit("p2"), from: "f1").refusals.isEmpty)
    }

    @Test func aClientOfTheEndedSessionResumingIsToldItEndedOnce() {
        var h = Harness.session(["p1", "p2"])
        h.send(.endSession, from: "f1")
        #expect(isRefusal(h.connect("p1", lastSequence: 7), .sessionEnded))
        #expect(h.room.isEnded)
        // Told once: the next resume opens the next session.
        #expect(!isRefusal(h.connect("p1", lastSequence: 7), .sessionEnded))
        #expect(h.room.status(of: "p1")?.stage == .needsAgreement)
        // Another member of the ended session is still told, even in the next session.
        #expect(isRefusal(h.connect("p2", lastSequence: 7), .sessionEnded))
        // Someone who was not there, or who arrives without resuming, is not.
        #expect(!isRefusal(h.connect("p3", lastSequence: 2), .sessionEnded))
        #expect(!isRefusal(h.connect("f1"), .sessionEnded))
        h.drop("f1")
        #expect(!isRefusal(h.connect("f1", lastSequence: 1), .sessionEnded))
    }

    @Test func theOpenAlertCountFollowsRaisesAcknowledgementsAndTheEnd() {
        var h = Harness.session(["p1", "p2"])
        #expect(h.room.openCrisisAlertCount == 0)
        h.send(.crisisAlert, from: "p1")
        h.send(.crisisAlert, from: "p1")  // a repeat refreshes the open alert
        h.send(.crisisAlert, from: "p2")
        #expect(h.room.openCrisisAlertCount == 2)
        h.send(.acknowledgeCrisis(AlertID(1)), from: "f1")
        #expect(h.room.openCrisisAlertCount == 1)
        h.send(.endSession, from: "f1")
        #expect(h.room.openCrisisAlertCount == 0)
    }

    @Test func noTimerOutlivesTheSession() {
        var policy = RoomPolicy()
        policy.idleLogoff = IdleLogoff(after: .seconds(600))
        var h = Harness(policy: policy)
        h.connect("f1")
        h.join("p1")
        h.join("p2")
        var pending: Set<TimerID> = []
        let note = { (effects: [Effect], pending: inout Set<TimerID>) in
            for effect in effects {
                if case .scheduleTimer(let timer, _) = effect { pending.insert(timer) }
                if case .cancelTimer(let timer) = effect { pending.remove(timer) }
            }
        }
        note(h.send(.startCheckIn(templateID: "mood", timeout: .seconds(60)), from: "f1"), &pending)
        note(h.send(.startExercise(exerciseID: "mindful-minute"), from: "f1"), &pending)
        note(h.send(.startAgendaItem(index: 0), from: "f1"), &pending)
        note(h.drop("p2"), &pending)
        pending.formUnion([.idleCheck("f1"), .idleCheck("p1"), .idleCheck("p2")])
        note(h.send(.endSession, from: "f1"), &pending)
        #expect(pending.isEmpty, "still pending after the end: \(pending)")
    }
}
