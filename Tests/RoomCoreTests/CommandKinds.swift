import RoomCore
import TestSupportCore

/// Every kind of ``Command``, with a random sample of each: the proof that a new
/// command cannot go unhandled. ``kind(of:)`` switches over `Command` without a
/// `default`, so a new case does not compile until it is listed here, and
/// ``sample(_:target:text:using:)`` switches over the kinds, so it has a sample
/// the property tests then send.
enum CommandKind: String, CaseIterable, Sendable {
    case acceptAgreement, admit, decline, lockRoom, unlockRoom
    case sendChat, messageFacilitators, privateMessage, backChannel, sideRoomMessage, deleteMessage, redactMessage
    case raiseHand, lowerHand, clearHand, giveFloor, takeFloor
    case mute, unmute, muteAll, unmuteAll, pauseChat, resumeChat, remove, endSession
    case startCheckIn, answerCheckIn, passCheckIn, closeCheckIn
    case startExercise, pauseExercise, resumeExercise, skipExercisePhase, stopExercise, sitOutExercise
    case rejoinExercise
    case crisisAlert, acknowledgeCrisis
    case startAgendaItem, endAgenda, stepOut, comeBack, openSideRoom, closeSideRoom
    case askPoll, votePoll, closePoll, react, unreact, setCue, clearCue, getBalance, markBalance
    case showCard, withdrawCard, fillCard, shareCard
    case startBreakout, visitBreakout, broadcastToBreakouts, endBreakout
    case recordAbsence, clearAbsence
    case ping

    /// The kind of a command (exhaustive, no `default`).
    static func kind(of command: Command) -> CommandKind {
        switch command {
        case .acceptAgreement: .acceptAgreement
        case .admit: .admit
        case .decline: .decline
        case .lockRoom: .lockRoom
        case .unlockRoom: .unlockRoom
        case .sendChat: .sendChat
        case .messageFacilitators: .messageFacilitators
        case .privateMessage: .privateMessage
        case .backChannel: .backChannel
        case .sideRoomMessage: .sideRoomMessage
        case .deleteMessage: .deleteMessage
        case .redactMessage: .redactMessage
        case .raiseHand: .raiseHand
        case .lowerHand: .lowerHand
        case .clearHand: .clearHand
        case .giveFloor: .giveFloor
        case .takeFloor: .takeFloor
        case .mute: .mute
        case .unmute: .unmute
        case .muteAll: .muteAll
        case .unmuteAll: .unmuteAll
        case .pauseChat: .pauseChat
        case .resumeChat: .resumeChat
        case .remove: .remove
        case .endSession: .endSession
        case .startCheckIn: .startCheckIn
        case .answerCheckIn: .answerCheckIn
        case .passCheckIn: .passCheckIn
        case .closeCheckIn: .closeCheckIn
        case .startExercise: .startExercise
        case .pauseExercise: .pauseExercise
        case .resumeExercise: .resumeExercise
        case .skipExercisePhase: .skipExercisePhase
        case .stopExercise: .stopExercise
        case .sitOutExercise: .sitOutExercise
        case .rejoinExercise: .rejoinExercise
        case .crisisAlert: .crisisAlert
        case .acknowledgeCrisis: .acknowledgeCrisis
        case .startAgendaItem: .startAgendaItem
        case .endAgenda: .endAgenda
        case .stepOut: .stepOut
        case .comeBack: .comeBack
        case .openSideRoom: .openSideRoom
        case .closeSideRoom: .closeSideRoom
        case .askPoll: .askPoll
        case .votePoll: .votePoll
        case .closePoll: .closePoll
        case .react: .react
        case .unreact: .unreact
        case .setCue: .setCue
        case .clearCue: .clearCue
        case .getBalance: .getBalance
        case .markBalance: .markBalance
        case .showCard: .showCard
        case .withdrawCard: .withdrawCard
        case .fillCard: .fillCard
        case .shareCard: .shareCard
        case .startBreakout: .startBreakout
        case .visitBreakout: .visitBreakout
        case .broadcastToBreakouts: .broadcastToBreakouts
        case .endBreakout: .endBreakout
        case .recordAbsence: .recordAbsence
        case .clearAbsence: .clearAbsence
        case .ping: .ping
        }
    }

    /// A random command of this kind aimed at `target`, saying `text` where it says anything;
    /// arguments vary between valid and invalid so that the command's own rules refuse some.
    func sample(target: MemberID, text: ConfidentialText, using rng: inout SplitMix64) -> Command {
        let message = MessageID(UInt64.random(in: 1...12, using: &rng))
        switch self {
        case .acceptAgreement: return .acceptAgreement(version: Bool.random(using: &rng) ? "2024-1" : "old")
        case .admit: return .admit(target)
        case .decline: return .decline(target)
        case .lockRoom: return .lockRoom
        case .unlockRoom: return .unlockRoom
        case .sendChat: return .sendChat(text)
        case .messageFacilitators: return .messageFacilitators(text)
        case .privateMessage: return .privateMessage(to: target, text)
        case .backChannel: return .backChannel(text)
        case .sideRoomMessage: return .sideRoomMessage(text)
        case .deleteMessage: return .deleteMessage(message)
        case .redactMessage: return .redactMessage(message)
        case .raiseHand: return .raiseHand
        case .lowerHand: return .lowerHand
        case .clearHand: return .clearHand(target)
        case .giveFloor: return .giveFloor(to: Bool.random(using: &rng) ? target : nil)
        case .takeFloor: return .takeFloor
        case .mute: return .mute(target)
        case .unmute: return .unmute(target)
        case .muteAll: return .muteAll
        case .unmuteAll: return .unmuteAll
        case .pauseChat: return .pauseChat
        case .resumeChat: return .resumeChat
        case .remove: return .remove(target)
        case .endSession: return .endSession
        case .startCheckIn:
            return .startCheckIn(
                templateID: ["mood", "craving", "rose-thorn", "none"].randomElement(using: &rng)!,
                timeout: [nil, .seconds(30), .zero].randomElement(using: &rng)!)
        case .answerCheckIn:
            let answers = [
                CheckInAnswer(["mood": .score(Int.random(in: -1...11, using: &rng)), "word": .text(text)]),
                CheckInAnswer(["craving": .score(Int.random(in: 0...10, using: &rng))]),
                CheckInAnswer(["rose": .text(text), "thorn": .text(text)]),
            ]
            return .answerCheckIn(answers.randomElement(using: &rng)!)
        case .passCheckIn: return .passCheckIn
        case .closeCheckIn: return .closeCheckIn
        case .startExercise:
            let ids = ExerciseCatalogue.standard.map(\.id) + ["no-such-exercise"]
            return .startExercise(exerciseID: ids.randomElement(using: &rng)!)
        case .pauseExercise: return .pauseExercise
        case .resumeExercise: return .resumeExercise
        case .skipExercisePhase: return .skipExercisePhase
        case .stopExercise: return .stopExercise
        case .sitOutExercise: return .sitOutExercise
        case .rejoinExercise: return .rejoinExercise
        case .crisisAlert: return .crisisAlert
        case .acknowledgeCrisis: return .acknowledgeCrisis(AlertID(UInt64.random(in: 1...4, using: &rng)))
        case .startAgendaItem: return .startAgendaItem(index: Int.random(in: -1...5, using: &rng))
        case .endAgenda: return .endAgenda
        case .stepOut: return .stepOut
        case .comeBack: return .comeBack
        case .openSideRoom: return .openSideRoom(with: target)
        case .closeSideRoom: return .closeSideRoom(with: target)
        case .askPoll: return .askPoll(Self.samplePoll(text: text, using: &rng))
        case .votePoll:
            return .votePoll(poll: UInt64.random(in: 0...3, using: &rng), choice: Int.random(in: -1...11, using: &rng))
        case .closePoll: return .closePoll
        case .react: return .react(message, ReactionKind.allCases.randomElement(using: &rng)!)
        case .unreact: return .unreact(message, ReactionKind.allCases.randomElement(using: &rng)!)
        case .setCue: return .setCue(Cue.allCases.randomElement(using: &rng)!)
        case .clearCue: return .clearCue
        case .getBalance: return .getBalance
        case .markBalance: return .markBalance
        case .showCard:
            let ids = SkillsCardCatalogue.standard.map(\.id) + ["no-such-card"]
            return .showCard(cardID: ids.randomElement(using: &rng)!)
        case .withdrawCard: return .withdrawCard
        case .fillCard:
            return .fillCard(
                card: UInt64.random(in: 0...3, using: &rng), field: Int.random(in: -1...8, using: &rng), text)
        case .shareCard: return .shareCard(card: UInt64.random(in: 0...3, using: &rng))
        case .startBreakout: return .startBreakout(Self.sampleBreakout(target: target, using: &rng))
        case .visitBreakout: return .visitBreakout(group: Int.random(in: 0...4, using: &rng))
        case .broadcastToBreakouts: return .broadcastToBreakouts(text)
        case .endBreakout: return .endBreakout
        case .recordAbsence:
            let reason = [AbsenceMark.excused, .unexcused, .rescheduled, nil].randomElement(using: &rng)!
            let session = ["2026-03-09T18:00", "2026-03-10T18:00"].randomElement(using: &rng)!
            return .recordAbsence(AbsenceEntry(member: target, session: session, reason: reason))
        case .clearAbsence:
            return .clearAbsence(member: target, session: "2026-03-09T18:00")
        case .ping: return .ping
        }
    }

    /// A random poll: 0 to 7 options (some invalid), or the scale; either audience; maybe a timeout.
    static func samplePoll(text: ConfidentialText, using rng: inout SplitMix64) -> PollRequest {
        let count = Int.random(in: 0...7, using: &rng)
        let choices: PollChoices =
            Bool.random(using: &rng)
            ? .scale : .options((0..<count).map { ConfidentialText("\(text.revealed)-option-\($0)") })
        return PollRequest(
            question: text, choices: choices, audience: Bool.random(using: &rng) ? .group : .facilitators,
            timeout: [nil, .seconds(30), .zero].randomElement(using: &rng)!)
    }
}
