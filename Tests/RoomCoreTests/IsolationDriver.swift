import RoomCore
import TestSupportCore

extension Simulated {
    /// Applies one random input and returns its effects and a label for failure messages.
    mutating func randomInput(using rng: inout SplitMix64) -> ([Effect], String) {
        let member = universe.randomElement(using: &rng)!
        switch Int.random(in: 0..<20, using: &rng) {
        case 5, 6:
            return (nudge(member), "nudge \(member)")
        case 0, 1:
            let resume: SequenceNumber? = Bool.random(using: &rng) ? lastSeen[member] : nil
            return (connect(member, lastSequence: resume), "connect \(member) resume \(String(describing: resume))")
        case 2:
            let cause: DisconnectCause = Bool.random(using: &rng) ? .connectionLost : .closedByClient
            return (harness.drop(member, cause: cause), "drop \(member) \(cause)")
        case 3:
            // In a fixed order (a dictionary's differs from one process to the next), so
            // that a seed replays the same run.
            let timers = scheduled.sorted { "\($0.key)" < "\($1.key)" }
            guard let (timer, at) = timers.randomElement(using: &rng) else { return ([], "no timer") }
            scheduled[timer] = nil
            if at > harness.now { harness.now = at }
            return (harness.fire(timer), "fire \(timer)")
        case 4:
            harness.advance(.milliseconds(Int64.random(in: 0...20_000, using: &rng)))
            return ([], "advance")
        default:
            let command = randomCommand(using: &rng)
            let member = plausibleSender(for: command, fallback: member, using: &rng)
            let effects = harness.send(command, from: member)
            noteAcknowledged(command, from: member, effects: effects)
            return (effects, "\(member) \(PermissionMatrixTests.name(command))")
        }
    }

    /// Moves a member one step further in: connect, accept, or be admitted by a facilitator.
    private mutating func nudge(_ member: MemberID) -> [Effect] {
        switch harness.room.status(of: member)?.stage {
        case nil: return connect(member, lastSequence: lastSeen[member])
        case .needsAgreement?: return harness.send(.acceptAgreement(version: "2024-1"), from: member)
        case .waiting?:
            let facilitator = universe.first { harness.room.status(of: $0)?.identity.role == .facilitator } ?? member
            return harness.send(.admit(member), from: facilitator)
        case .admitted?: return harness.send(.sendChat(ConfidentialText("secret-\(name)-nudge")), from: member)
        }
    }

    private mutating func connect(_ member: MemberID, lastSequence: SequenceNumber?) -> [Effect] {
        harness.connect(member, lastSequence: lastSequence)
    }

    private mutating func noteAcknowledged(_ command: Command, from member: MemberID, effects: [Effect]) {
        guard !effects.acknowledgements.isEmpty else { return }
        switch command {
        case .startCheckIn(let template, _):
            let visibility = CheckInCatalogue.standard.first { $0.id == template }!.visibility
            roundVisibility[UInt64(roundVisibility.count + 1)] = visibility
        case .askPoll(let request):
            pollAudience[UInt64(pollAudience.count + 1)] = request.audience
        case .fillCard(_, _, let text) where text.utf8Count > 0:
            fieldAuthors[text.revealed, default: []].insert(member)
        case .crisisAlert:
            // A repeat of an open alert keeps its id: learn the id from the receipt.
            for case .crisisAlertReceived(let alert, _) in effects.events(to: member) where alertOwners[alert] == nil {
                alertOwners[alert] = member
            }
        default:
            break
        }
    }

    /// Mostly a connected member, and mostly a facilitator for facilitators' commands,
    /// so that runs get deep into the session instead of bouncing off the gate.
    private func plausibleSender(for command: Command, fallback: MemberID, using rng: inout SplitMix64) -> MemberID {
        let connected = universe.filter { harness.room.status(of: $0)?.connected == true }
        let role = Room.requirement(of: command).role
        let fitting = connected.filter { role == nil || harness.room.status(of: $0)?.identity.role == role }
        if Int.random(in: 0..<10, using: &rng) < 8, let sender = fitting.randomElement(using: &rng) { return sender }
        return fallback
    }

    func randomCommand(using rng: inout SplitMix64) -> Command {
        let present = harness.room.memberIDs
        let target =
            Int.random(in: 0..<10, using: &rng) < 8 && !present.isEmpty
            ? present.randomElement(using: &rng)! : (universe + ["p1.elsewhere"]).randomElement(using: &rng)!
        let words = ["secret-\(name)-\(Int.random(in: 0...999, using: &rng))", "", String(repeating: "x", count: 41)]
        let say = ConfidentialText(
            Int.random(in: 0..<10, using: &rng) < 8 ? words[0] : words.randomElement(using: &rng)!)
        let message = MessageID(UInt64.random(in: 1...12, using: &rng))
        let commands: [Command] = [
            .acceptAgreement(version: Bool.random(using: &rng) ? "2024-1" : "old"), .admit(target), .decline(target),
            .lockRoom, .unlockRoom, .sendChat(say), .sendChat(say), .sendChat(say), .messageFacilitators(say),
            .privateMessage(to: target, say), .privateMessage(to: target, say), .backChannel(say),
            .sideRoomMessage(say), .sideRoomMessage(say), .deleteMessage(message), .redactMessage(message),
            .raiseHand, .lowerHand, .clearHand(target), .giveFloor(to: Bool.random(using: &rng) ? target : nil),
            .takeFloor, .mute(target), .unmute(target), .muteAll, .unmuteAll, .pauseChat, .resumeChat,
            .remove(target),
            .startCheckIn(
                templateID: ["mood", "craving", "rose-thorn"].randomElement(using: &rng)!,
                timeout: Bool.random(using: &rng) ? .seconds(30) : nil),
            .answerCheckIn(CheckInAnswer(["mood": .score(Int.random(in: 0...10, using: &rng)), "word": .text(say)])),
            .answerCheckIn(CheckInAnswer(["craving": .score(Int.random(in: 0...10, using: &rng))])),
            .answerCheckIn(CheckInAnswer(["rose": .text(say), "thorn": .text(say)])),
            .passCheckIn, .closeCheckIn,
            .startExercise(exerciseID: ExerciseCatalogue.standard.randomElement(using: &rng)!.id), .pauseExercise,
            .resumeExercise, .skipExercisePhase, .stopExercise, .sitOutExercise, .rejoinExercise, .crisisAlert,
            .acknowledgeCrisis(AlertID(UInt64.random(in: 1...4, using: &rng))),
            .startAgendaItem(index: Int.random(in: -1...5, using: &rng)), .endAgenda, .stepOut, .comeBack,
            .openSideRoom(with: target), .openSideRoom(with: target), .closeSideRoom(with: target), .ping,
            .askPoll(CommandKind.samplePoll(text: say, using: &rng)),
            .votePoll(poll: UInt64.random(in: 1...3, using: &rng), choice: Int.random(in: 0...10, using: &rng)),
            .votePoll(poll: UInt64.random(in: 1...3, using: &rng), choice: Int.random(in: 0...3, using: &rng)),
            .closePoll, .react(message, ReactionKind.allCases.randomElement(using: &rng)!),
            .react(message, ReactionKind.allCases.randomElement(using: &rng)!),
            .unreact(message, ReactionKind.allCases.randomElement(using: &rng)!),
            .setCue(Cue.allCases.randomElement(using: &rng)!), .clearCue, .getBalance, .markBalance,
            .showCard(cardID: SkillsCardCatalogue.standard.randomElement(using: &rng)!.id), .withdrawCard,
            .fillCard(card: UInt64.random(in: 1...3, using: &rng), field: Int.random(in: 0...2, using: &rng), say),
            .fillCard(card: UInt64.random(in: 1...3, using: &rng), field: Int.random(in: 0...2, using: &rng), say),
            .shareCard(card: UInt64.random(in: 1...3, using: &rng)),
        ]
        if Int.random(in: 0..<8, using: &rng) == 0 { return randomBreakoutCommand(say: say, using: &rng) }
        // Ending the session is rare, so that most of a run happens in a live room.
        if Int.random(in: 0..<1500, using: &rng) == 0 { return .endSession }
        return commands.randomElement(using: &rng)!
    }
}
