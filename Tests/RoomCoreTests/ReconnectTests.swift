import RoomCore
import Testing

@Suite("Reconnect and resume")
struct ReconnectTests {
    @Test func droppedMemberKeepsTheirPlaceAndGetsExactlyWhatTheyMissed() {
        var h = Harness.session(["p1", "p2"])
        h.send(.raiseHand, from: "p1")
        let lastSeen = h.room.currentSequence
        h.advance(.seconds(1))
        let lostAt = h.now
        let drop = h.drop("p1")
        #expect(drop.records.isEmpty, "quiet for the presence grace")
        #expect(drop.deliveries.isEmpty)
        #expect(
            drop.timers == [
                .scheduleTimer(.reconnectWindow("p1"), at: h.now + .seconds(120)),
                .scheduleTimer(.presenceGrace("p1"), at: h.now + .seconds(10)),
            ])
        h.advance(.seconds(10))
        let grace = h.fire(.presenceGrace("p1"))
        #expect(
            grace.records == [
                .attendance(AttendanceRecord(member: "p1", role: .participant, event: .connectionLost, at: lostAt))
            ])
        let presence = grace.events(to: "p2").compactMap(\.roster).last?.entries.first { $0.member == "p1" }?.presence
        #expect(presence == .reconnecting)

        let chat = h.send(.sendChat(text("while you were away")), from: "p2")
        #expect(chat.deliveries.map(\.recipients) == [["f1", "p2"]])
        let whisper = h.send(.privateMessage(to: "p2", text("not for p1")), from: "f1")
        h.send(.privateMessage(to: "p1", text("for p1")), from: "f1")
        h.advance(.seconds(109))

        let back = h.connect("p1", lastSequence: lastSeen)
        let replayed = back.deliveries.filter { $0.envelope.sequence <= whisper.deliveries[0].envelope.sequence + 1 }
        #expect(replayed.allSatisfy { $0.recipients == ["p1"] })
        let replayedChat = replayed.compactMap { $0.envelope.event.chat?.text.revealed }
        #expect(replayedChat == ["while you were away", "for p1"])
        #expect(back.timers == [.cancelTimer(.reconnectWindow("p1"))])
        #expect(back.attendance == [.resumed])
        let roster = back.events(to: "p1").compactMap(\.roster).last
        #expect(roster?.entries.first { $0.member == "p1" }?.queuePosition == 1)
        #expect(roster?.entries.first { $0.member == "p1" }?.presence == .here)
        #expect(h.room.status(of: "p1")?.stage == .admitted)
    }

    @Test func aResumingMemberGetsOnlyTheNewestRosterAndWaitingRoom() {
        var h = Harness.session(["p1", "p2", "p3"])
        let participantSeen = h.room.currentSequence
        h.drop("p1")
        for raiser in ["p2", "p3"] as [MemberID] { h.send(.raiseHand, from: raiser) }
        let facilitatorSeen = h.room.currentSequence
        h.drop("f1")
        for newcomer in ["p4", "p5"] as [MemberID] {
            h.connect(newcomer)
            h.send(.acceptAgreement(version: "2024-1"), from: newcomer)
        }
        let newest = h.send(.lowerHand, from: "p2").events(to: "p2").compactMap(\.roster).last

        var before = h.room.currentSequence
        let participant = replayed(h.connect("p1", lastSequence: participantSeen), to: "p1", upTo: before)
        let rosters = participant.compactMap(\.roster)
        #expect(rosters.count == 1, "the intermediate rosters were replaced by the newest")
        #expect(rosters.first == newest)

        before = h.room.currentSequence
        let facilitator = replayed(h.connect("f1", lastSequence: facilitatorSeen), to: "f1", upTo: before)
        let waiting = facilitator.compactMap { if case .waitingRoom(let entries) = $0 { entries } else { nil } }
        #expect(waiting.map { $0.map(\.member) } == [["p4", "p5"]])
        #expect(facilitator.compactMap(\.roster).count == 1)
    }

    /// The events of `effects` to `member` that were replayed (produced at or before `sequence`).
    private func replayed(_ effects: [Effect], to member: MemberID, upTo sequence: SequenceNumber) -> [RoomEvent] {
        effects.compactMap { effect in
            guard case .deliver(let delivery) = effect, delivery.recipients.contains(member),
                delivery.envelope.sequence <= sequence
            else { return nil }
            return delivery.envelope.event
        }
    }

    @Test func pastTheWindowTheMemberLeavesAndRejoinsNormally() {
        var h = Harness.session(["p1"])
        h.send(.raiseHand, from: "p1")
        h.drop("p1")
        h.advance(.seconds(10))
        h.fire(.presenceGrace("p1"))
        h.advance(.seconds(110))
        let expired = h.fire(.reconnectWindow("p1"))
        #expect(expired.attendance == [.left(.reconnectWindowExpired)])
        #expect(expired.events(to: "f1").compactMap(\.roster).last?.entries.map(\.member) == ["f1"])
        #expect(h.fire(.reconnectWindow("p1")).isEmpty)
        let back = h.connect("p1", lastSequence: 3)
        #expect(back.events(to: "p1") == [.waitingForAdmission])
    }

    @Test func newerConnectionReplacesTheOldOneAndALateCloseOfTheOldIsIgnored() {
        var h = Harness.session(["p1"])
        let old = h.connections["p1"]!
        let second = h.connect("p1", lastSequence: h.room.currentSequence)
        #expect(second.first == .disconnect("p1", old, .replacedByNewerConnection))
        #expect(second.attendance.isEmpty)
        #expect(h.room.memberDisconnected("p1", connection: old, cause: .connectionLost, at: h.now).isEmpty)
        #expect(h.room.status(of: "p1")?.connected == true)
    }

    @Test func resumeBeyondTheReplayBufferGetsASnapshot() {
        var h = Harness.session(["p1", "p2"], policy: RoomPolicy(replayBufferCapacity: 3, messageHistoryLimit: 3))
        let lastSeen = h.room.currentSequence
        h.drop("p1")
        for n in 1...5 { h.send(.sendChat(text("m\(n)")), from: "p2") }
        let back = h.connect("p1", lastSequence: lastSeen)
        #expect(back.events(to: "p1").first?.snapshot != nil)
        #expect(back.events(to: "p1").allSatisfy { $0.chat == nil })
    }

    @Test func redactedMessagesAreNeverReplayed() {
        var h = Harness.session(["p1", "p2"])
        let lastSeen = h.room.currentSequence
        h.drop("p1")
        h.send(.sendChat(text("regrettable")), from: "p2")
        h.send(.redactMessage(MessageID(1)), from: "f1")
        let back = h.connect("p1", lastSequence: lastSeen)
        #expect(!back.deliveries.contains { $0.envelope.event.chat != nil })
        let removals = back.events(to: "p1").filter { if case .messageRemoved = $0 { true } else { false } }
        #expect(removals.isEmpty, "no removal of a message p1 never received")
    }

    /// Each sequence number means one event on replay: the removal of a message the
    /// member did receive comes once, under the removal's own number.
    @Test func aReplayedRemovalComesOnceUnderItsOwnSequence() {
        var h = Harness.session(["p1", "p2"])
        let posted = h.send(.sendChat(text("regrettable")), from: "p2")
        let messageSequence = posted.deliveries[0].envelope.sequence
        let lastSeen = h.room.currentSequence
        h.drop("p1")
        let redaction = h.send(.redactMessage(MessageID(1)), from: "f1")
        let removalSequence = redaction.deliveries[0].envelope.sequence
        let back = h.connect("p1", lastSequence: lastSeen)
        let replayed = back.deliveries.filter { $0.recipients == ["p1"] }
        let removals = replayed.filter { if case .messageRemoved = $0.envelope.event { true } else { false } }
        #expect(removals.map(\.envelope.sequence) == [removalSequence])
        #expect(!replayed.contains { $0.envelope.sequence == messageSequence })
        let resumedEarlier = h.connect("p2", lastSequence: messageSequence - 1)
        let sequences = resumedEarlier.deliveries.map(\.envelope.sequence)
        #expect(Set(sequences).count == sequences.count, "one event per sequence number")
        #expect(!sequences.contains(messageSequence) && !sequences.contains(removalSequence))
    }

    /// A resume from before the member's own admission does not replay the agreement or
    /// the waiting room again (those stages are done); the room state still arrives.
    @Test func aResumeFromLongAgoDoesNotReplayTheMembersOwnStages() {
        var h = Harness.session(["p1"])
        h.send(.sendChat(text("after admission")), from: "f1")
        h.drop("p1")
        let back = h.connect("p1", lastSequence: 0)
        let events = back.events(to: "p1")
        #expect(!events.contains(.agreementRequired(GroupAgreement.sample)))
        #expect(!events.contains(.waitingForAdmission))
        #expect(events.first?.snapshot != nil)
        #expect(events.compactMap(\.chat).map(\.text.revealed) == ["after admission"])
    }

    @Test func reconnectingMemberIsToldTheCurrentExercisePhase() {
        var h = Harness.session(["p1"])
        h.send(.startExercise(exerciseID: "mindful-minute"), from: "f1")
        let lastSeen = h.room.currentSequence
        h.drop("p1")
        h.advance(.seconds(10))
        h.fire(.exercisePhase(run: 1, phase: 0))
        h.advance(.seconds(15))
        let back = h.connect("p1", lastSequence: lastSeen)
        let current = back.events(to: "p1").compactMap(\.exercise).last
        #expect(current?.change == .current)
        #expect(current?.currentPhase == 1)
        #expect(current?.remainingInPhase == .seconds(25))
    }

    @Test func waitingParticipantKeepsTheirPlaceInLineAcrossADrop() {
        var h = Harness.session([])
        h.connect("p1")
        h.send(.acceptAgreement(version: "2024-1"), from: "p1")
        let since = h.now
        h.drop("p1")
        h.advance(.seconds(10))
        let drop = h.fire(.presenceGrace("p1"))
        #expect(
            drop.events(to: "f1") == [
                .waitingRoom([WaitingEntry(member: "p1", alias: "P1", since: since, reconnecting: true)])
            ])
        let back = h.connect("p1")
        #expect(back.events(to: "p1") == [.waitingForAdmission])
    }
}
