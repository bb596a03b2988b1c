import RoomCore
import Testing

/// Every command by every role and state: allowed, or refused with the documented code.
@Suite("Permission matrix")
struct PermissionMatrixTests {
    enum Outcome: Equatable, CustomStringConvertible {
        case ok
        case refused(RoomError)

        var description: String {
            switch self {
            case .ok: "ok"
            case .refused(let error): error.code
            }
        }
    }

    /// Who a command is for: the gate every sender passes before the command's own rules.
    enum Who {
        /// Facilitators only.
        case facilitator
        /// Admitted participants only.
        case participant
        /// Any admitted member.
        case anyone
        /// Participants at any stage (crisis alert).
        case participantAlways
        /// Anyone connected (agreement).
        case anyoneAlways
    }

    struct Row: CustomTestStringConvertible, Sendable {
        var command: Command
        var who: Who
        /// Outcomes for: facilitator, admitted participant, muted participant, participant in a side room.
        var admitted: [Outcome]

        var testDescription: String { PermissionMatrixTests.name(command) }
    }

    static let ok = Outcome.ok
    static func no(_ error: RoomError) -> Outcome { .refused(error) }
    static let np = Outcome.refused(.notPermitted)
    static let say = ConfidentialText("hello")
    static let moodAnswer = CheckInAnswer(["mood": .score(5), "word": .text(ConfidentialText("calm"))])

    static let rows: [Row] = [
        Row(command: .acceptAgreement(version: "2024-1"), who: .anyoneAlways, admitted: [ok, ok, ok, ok]),
        Row(command: .admit("pW"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .decline("pW"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .lockRoom, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .unlockRoom, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .sendChat(say), who: .anyone, admitted: [ok, ok, no(.muted), no(.inSideRoom)]),
        Row(command: .messageFacilitators(say), who: .participant, admitted: [np, ok, ok, ok]),
        Row(command: .privateMessage(to: "f2", say), who: .anyone, admitted: [ok, ok, ok, ok]),
        Row(command: .backChannel(say), who: .facilitator, admitted: [ok, np, np, np]),
        Row(
            command: .sideRoomMessage(say), who: .anyone,
            admitted: [no(.notInSideRoom), no(.notInSideRoom), no(.notInSideRoom), ok]),
        Row(command: .deleteMessage(MessageID(1)), who: .anyone, admitted: [np, ok, np, np]),
        Row(command: .redactMessage(MessageID(1)), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .raiseHand, who: .participant, admitted: [np, ok, ok, no(.inSideRoom)]),
        Row(command: .lowerHand, who: .anyone, admitted: [ok, ok, ok, ok]),
        Row(command: .clearHand("pT"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .giveFloor(to: "pT"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .takeFloor, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .mute("pT"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .unmute("pT"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .muteAll, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .unmuteAll, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .pauseChat, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .resumeChat, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .remove("pT"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .endSession, who: .facilitator, admitted: [ok, np, np, np]),
        Row(
            command: .startCheckIn(templateID: "craving", timeout: nil), who: .facilitator,
            admitted: [no(.roundAlreadyActive), np, np, np]),
        Row(command: .answerCheckIn(moodAnswer), who: .participant, admitted: [np, ok, ok, no(.inSideRoom)]),
        Row(command: .passCheckIn, who: .participant, admitted: [np, ok, ok, no(.inSideRoom)]),
        Row(command: .closeCheckIn, who: .facilitator, admitted: [ok, np, np, np]),
        Row(
            command: .startExercise(exerciseID: "urge-surfing"), who: .facilitator,
            admitted: [no(.exerciseAlreadyActive), np, np, np]),
        Row(command: .pauseExercise, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .resumeExercise, who: .facilitator, admitted: [no(.exerciseNotPaused), np, np, np]),
        Row(command: .skipExercisePhase, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .stopExercise, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .sitOutExercise, who: .participant, admitted: [np, ok, ok, ok]),
        Row(command: .rejoinExercise, who: .participant, admitted: [np, ok, ok, ok]),
        Row(command: .crisisAlert, who: .participantAlways, admitted: [np, ok, ok, ok]),
        Row(command: .acknowledgeCrisis(AlertID(1)), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .startAgendaItem(index: 0), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .endAgenda, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .stepOut, who: .anyone, admitted: [ok, ok, ok, ok]),
        Row(command: .comeBack, who: .anyone, admitted: [ok, ok, ok, ok]),
        Row(command: .openSideRoom(with: "pT"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .closeSideRoom(with: "pS"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .askPoll(pollRequest), who: .facilitator, admitted: [no(.pollAlreadyOpen), np, np, np]),
        Row(command: .votePoll(poll: 1, choice: 1), who: .participant, admitted: [np, ok, ok, no(.inSideRoom)]),
        Row(command: .closePoll, who: .facilitator, admitted: [ok, np, np, np]),
        Row(
            command: .react(MessageID(1), .meToo), who: .anyone,
            admitted: [ok, ok, no(.muted), no(.inSideRoom)]),
        Row(command: .unreact(MessageID(1), .meToo), who: .anyone, admitted: [ok, ok, no(.muted), no(.inSideRoom)]),
        Row(command: .setCue(.pause), who: .participant, admitted: [np, ok, ok, ok]),
        Row(command: .clearCue, who: .participant, admitted: [np, ok, ok, ok]),
        Row(command: .getBalance, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .markBalance, who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .showCard(cardID: "dbt-stop"), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .withdrawCard, who: .facilitator, admitted: [ok, np, np, np]),
        Row(
            command: .fillCard(card: 1, field: 0, say), who: .participant, admitted: [np, ok, ok, no(.inSideRoom)]),
        Row(command: .shareCard(card: 1), who: .participant, admitted: [np, ok, ok, no(.inSideRoom)]),
        Row(command: .startBreakout(breakoutRequest), who: .facilitator, admitted: [ok, np, np, np]),
        Row(command: .visitBreakout(group: 1), who: .facilitator, admitted: [no(.noBreakout), np, np, np]),
        Row(command: .broadcastToBreakouts(say), who: .facilitator, admitted: [no(.noBreakout), np, np, np]),
        Row(command: .endBreakout, who: .facilitator, admitted: [no(.noBreakout), np, np, np]),
        Row(command: .recordAbsence(absence), who: .facilitator, admitted: [ok, np, np, np]),
        Row(
            command: .clearAbsence(member: "pM", session: absence.session), who: .facilitator,
            admitted: [ok, np, np, np]),
        Row(command: .ping, who: .anyoneAlways, admitted: [ok, ok, ok, ok]),
    ]

    static let absence = AbsenceEntry(member: "pA", session: "2026-03-09T18:00", reason: .excused)

    static let breakoutRequest = BreakoutRequest(split: .balanced(count: 2), duration: .seconds(600))

    static let pollRequest = PollRequest(
        question: ConfidentialText("How are you?"),
        choices: .options([ConfidentialText("well"), ConfidentialText("so-so")]), audience: .group, timeout: nil)

    /// A room holding a member in every state, with a round, an exercise, an alert and messages.
    static let fixture: Harness = {
        var h = Harness.session(["pA", "pM", "pT", "pS", "pR", "pD"])
        h.connect("f2")
        h.send(.mute("pM"), from: "f1")
        h.send(.openSideRoom(with: "pS"), from: "f2")
        h.send(.remove("pR"), from: "f1")
        h.drop("pD")
        h.connect("pN")
        h.connect("pW")
        h.send(.acceptAgreement(version: "2024-1"), from: "pW")
        h.send(.sendChat(say), from: "pA")
        h.send(.crisisAlert, from: "pT")
        h.send(.startCheckIn(templateID: "mood", timeout: nil), from: "f1")
        h.send(.startExercise(exerciseID: "box-breathing"), from: "f1")
        h.send(.askPoll(pollRequest), from: "f1")
        h.send(.showCard(cardID: "dbt-stop"), from: "f1")
        h.room.allowAbsences(RecordableAbsences(expected: ["2026-03-09T18:00": ["pA", "pM"]]))
        return h
    }()

    func outcome(of command: Command, from member: MemberID, in harness: Harness) -> Outcome {
        var h = harness
        let id = h.nextCommandID
        let effects = h.send(command, from: member)
        if let error = effects.refusals.first {
            #expect(effects.count == 1, "a refusal changes nothing")
            return .refused(error)
        }
        #expect(effects.first == .acknowledge(id, to: member))
        return .ok
    }

    @Test(arguments: rows)
    func everyRoleAndState(row: Row) {
        let h = Self.fixture
        for (member, expected) in zip(["f1", "pA", "pM", "pS"] as [MemberID], row.admitted) {
            #expect(outcome(of: row.command, from: member, in: h) == expected, "\(member)")
        }
        let early: (notAgreed: Outcome, waiting: Outcome) =
            switch row.who {
            case .facilitator: (Self.np, Self.np)
            case .participant, .anyone: (.refused(.agreementRequired), .refused(.notAdmitted))
            case .participantAlways, .anyoneAlways: (.ok, .ok)
            }
        #expect(outcome(of: row.command, from: "pN", in: h) == early.notAgreed, "not yet agreed")
        #expect(outcome(of: row.command, from: "pW", in: h) == early.waiting, "waiting")
        #expect(outcome(of: row.command, from: "pR", in: h) == .refused(.removed), "removed")
        #expect(outcome(of: row.command, from: "pD", in: h) == .refused(.notConnected), "dropped")
        #expect(outcome(of: row.command, from: "stranger", in: h) == .refused(.notConnected), "stranger")
        var ended = h
        ended.send(.endSession, from: "f1")
        #expect(ended.send(row.command, from: "f1").refusals == [.sessionEnded], "session ended")

        let requirement = Room.requirement(of: row.command)
        let expectedRequirement: CommandRequirement =
            switch row.who {
            case .facilitator: CommandRequirement(role: .facilitator, stage: .admitted)
            case .participant: CommandRequirement(role: .participant, stage: .admitted)
            case .anyone: CommandRequirement(role: nil, stage: .admitted)
            case .participantAlways: CommandRequirement(role: .participant, stage: .connected)
            case .anyoneAlways: CommandRequirement(role: nil, stage: .connected)
            }
        #expect(requirement == expectedRequirement)
    }

    @Test func theMatrixCoversEveryCommand() {
        #expect(Set(Self.rows.map { Self.name($0.command) }).count == CommandKind.allCases.count)
        #expect(Self.fixture.room.status(of: "pD")?.connected == false)
        #expect(Self.fixture.room.status(of: "pS")?.sideRoomHost == "f2")
    }

    /// One name per `Command` case; the switch has no default, so a new case fails to compile here.
    static func name(_ command: Command) -> String {
        switch command {
        case .acceptAgreement: "acceptAgreement"
        case .admit: "admit"
        case .decline: "decline"
        case .lockRoom: "lockRoom"
        case .unlockRoom: "unlockRoom"
        case .sendChat: "sendChat"
        case .messageFacilitators: "messageFacilitators"
        case .privateMessage: "privateMessage"
        case .backChannel: "backChannel"
        case .sideRoomMessage: "sideRoomMessage"
        case .deleteMessage: "deleteMessage"
        case .redactMessage: "redactMessage"
        case .raiseHand: "raiseHand"
        case .lowerHand: "lowerHand"
        case .clearHand: "clearHand"
        case .giveFloor: "giveFloor"
        case .takeFloor: "takeFloor"
        case .mute: "mute"
        case .unmute: "unmute"
        case .muteAll: "muteAll"
        case .unmuteAll: "unmuteAll"
        case .pauseChat: "pauseChat"
        case .resumeChat: "resumeChat"
        case .remove: "remove"
        case .endSession: "endSession"
        case .startCheckIn: "startCheckIn"
        case .answerCheckIn: "answerCheckIn"
        case .passCheckIn: "passCheckIn"
        case .closeCheckIn: "closeCheckIn"
        case .startExercise: "startExercise"
        case .pauseExercise: "pauseExercise"
        case .resumeExercise: "resumeExercise"
        case .skipExercisePhase: "skipExercisePhase"
        case .stopExercise: "stopExercise"
        case .sitOutExercise: "sitOutExercise"
        case .rejoinExercise: "rejoinExercise"
        case .crisisAlert: "crisisAlert"
        case .acknowledgeCrisis: "acknowledgeCrisis"
        case .startAgendaItem: "startAgendaItem"
        case .endAgenda: "endAgenda"
        case .stepOut: "stepOut"
        case .comeBack: "comeBack"
        case .openSideRoom: "openSideRoom"
        case .closeSideRoom: "closeSideRoom"
        case .askPoll: "askPoll"
        case .votePoll: "votePoll"
        case .closePoll: "closePoll"
        case .react: "react"
        case .unreact: "unreact"
        case .setCue: "setCue"
        case .clearCue: "clearCue"
        case .getBalance: "getBalance"
        case .markBalance: "markBalance"
        case .showCard: "showCard"
        case .withdrawCard: "withdrawCard"
        case .fillCard: "fillCard"
        case .shareCard: "shareCard"
        case .startBreakout: "startBreakout"
        case .visitBreakout: "visitBreakout"
        case .broadcastToBreakouts: "broadcastToBreakouts"
        case .endBreakout: "endBreakout"
        case .recordAbsence: "recordAbsence"
        case .clearAbsence: "clearAbsence"
        case .ping: "ping"
        }
    }
}
