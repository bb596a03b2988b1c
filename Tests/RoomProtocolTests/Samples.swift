import RoomCore

/// Sample values covering every command and event case, every enum case they carry,
/// and text that needs escaping.
enum Samples {
    static let at = Timestamp(millisecondsSinceEpoch: 1_764_000_000_000)
    static let tricky = ConfidentialText(
        "Quote \" backslash \\ slash / tab \t newline \n nul \u{0} bell \u{7} é 日本 🧘‍♀️ \u{2028}")

    // MARK: Commands

    /// Every `Command` case; ``commandCaseIndex(_:)`` proves it.
    static let commands: [Command] = [
        .acceptAgreement(version: "2024-1"), .admit("m-2"), .decline("m-3"), .lockRoom, .unlockRoom,
        .sendChat("Hello, group"), .sendChat(tricky), .sendChat(""),
        .messageFacilitators("I need a moment"), .privateMessage(to: "f-1", "thanks"),
        .backChannel("watch m-2"), .sideRoomMessage("are you safe right now?"),
        .deleteMessage(MessageID(7)), .redactMessage(MessageID(UInt64(Int64.max))),
        .raiseHand, .lowerHand, .clearHand("m-2"), .giveFloor(to: nil), .giveFloor(to: "m-4"), .takeFloor,
        .mute("m-2"), .unmute("m-2"), .muteAll, .unmuteAll, .pauseChat, .resumeChat, .remove("m-5"), .endSession,
        .startCheckIn(templateID: "mood", timeout: nil), .startCheckIn(templateID: "craving", timeout: .seconds(90)),
        .startCheckIn(templateID: "mood", timeout: .milliseconds(1500)),
        .answerCheckIn(CheckInAnswer(["mood": .score(7), "word": .text("hopeful")])),
        .answerCheckIn(CheckInAnswer(["rose": .text(tricky), "thorn": .text("work"), "negative": .score(-3)])),
        .answerCheckIn(CheckInAnswer([:])),
        .passCheckIn, .closeCheckIn,
        .startExercise(exerciseID: "box-breathing"), .pauseExercise, .resumeExercise, .skipExercisePhase,
        .stopExercise, .sitOutExercise, .rejoinExercise,
        .crisisAlert, .acknowledgeCrisis(AlertID(3)),
        .startAgendaItem(index: 0), .startAgendaItem(index: 4), .endAgenda, .stepOut, .comeBack,
        .openSideRoom(with: "m-2"), .closeSideRoom(with: "m-2"),
        .askPoll(
            PollRequest(
                question: "How rested are you?", choices: .options(["well", tricky, "not at all"]),
                audience: .facilitators, timeout: .seconds(120))),
        .askPoll(PollRequest(question: tricky, choices: .scale, audience: .group, timeout: nil)),
        .votePoll(poll: 1, choice: 0), .votePoll(poll: 7, choice: 10), .closePoll,
        .react(MessageID(12), .meToo), .react(MessageID(12), .thankYou), .unreact(MessageID(3), .support),
        .setCue(.pause), .setCue(.wantToSpeak), .setCue(.ok), .clearCue, .getBalance, .markBalance,
        .showCard(cardID: "dbt-stop"), .withdrawCard, .fillCard(card: 1, field: 0, tricky),
        .fillCard(card: 7, field: 7, ConfidentialText("")), .shareCard(card: 1),
        .startBreakout(BreakoutRequest(split: .random(count: 3, seed: 0), duration: .seconds(600))),
        .startBreakout(BreakoutRequest(split: .balanced(count: 2), duration: .milliseconds(1500))),
        .startBreakout(BreakoutRequest(split: .named([["m-2", "m-3"], ["m-4"]]), duration: .seconds(14_400))),
        .visitBreakout(group: 2), .broadcastToBreakouts(tricky), .endBreakout,
        .recordAbsence(AbsenceEntry(member: "m-2", session: "2026-03-09T18:00", reason: .excused)),
        .recordAbsence(AbsenceEntry(member: "m-3", session: "2026-03-11T18:00", reason: .rescheduled)),
        .clearAbsence(member: "m-2", session: "2026-03-09T18:00"),
        .ping,
    ]

    static let commandCaseCount = 64

    /// A distinct number per case; the switch has no default, so a new case fails to
    /// compile until it gets a number here and a sample above.
    static func commandCaseIndex(_ command: Command) -> Int {
        switch command {
        case .acceptAgreement: 0
        case .admit: 1
        case .decline: 2
        case .lockRoom: 3
        case .unlockRoom: 4
        case .sendChat: 5
        case .messageFacilitators: 6
        case .privateMessage: 7
        case .backChannel: 8
        case .sideRoomMessage: 9
        case .deleteMessage: 10
        case .redactMessage: 11
        case .raiseHand: 12
        case .lowerHand: 13
        case .clearHand: 14
        case .giveFloor: 15
        case .takeFloor: 16
        case .mute: 17
        case .unmute: 18
        case .muteAll: 19
        case .unmuteAll: 20
        case .pauseChat: 21
        case .resumeChat: 22
        case .remove: 23
        case .endSession: 24
        case .startCheckIn: 25
        case .answerCheckIn: 26
        case .passCheckIn: 27
        case .closeCheckIn: 28
        case .startExercise: 29
        case .pauseExercise: 30
        case .resumeExercise: 31
        case .skipExercisePhase: 32
        case .stopExercise: 33
        case .sitOutExercise: 34
        case .rejoinExercise: 35
        case .crisisAlert: 36
        case .acknowledgeCrisis: 37
        case .startAgendaItem: 38
        case .endAgenda: 39
        case .stepOut: 40
        case .comeBack: 41
        case .openSideRoom: 42
        case .closeSideRoom: 43
        case .ping: 44
        case .askPoll: 45
        case .votePoll: 46
        case .closePoll: 47
        case .react: 48
        case .unreact: 49
        case .setCue: 50
        case .getBalance: 51
        case .markBalance: 52
        case .clearCue: 53
        case .showCard: 54
        case .withdrawCard: 55
        case .fillCard: 56
        case .shareCard: 57
        case .startBreakout: 58
        case .visitBreakout: 59
        case .broadcastToBreakouts: 60
        case .endBreakout: 61
        case .recordAbsence: 62
        case .clearAbsence: 63
        }
    }

    // MARK: Event parts

    static let message = ChatMessage(
        id: MessageID(12), from: "m-2", alias: "Sam", role: .participant, scope: .group, text: tricky, sentAt: at)

    static let messages: [ChatMessage] = [
        message,
        ChatMessage(
            id: MessageID(13), from: "m-2", alias: "Sam", role: .participant, scope: .toFacilitators, text: "help",
            sentAt: at),
        ChatMessage(
            id: MessageID(14), from: "f-1", alias: "Dr. Lee", role: .facilitator, scope: .direct(to: "m-2"),
            text: "ok?", sentAt: at),
        ChatMessage(
            id: MessageID(15), from: "f-1", alias: "Dr. Lee", role: .facilitator, scope: .backChannel, text: "note",
            sentAt: at),
        ChatMessage(
            id: MessageID(16), from: "m-2", alias: "Sam", role: .participant, scope: .sideRoom(participant: "m-2"),
            text: "", sentAt: at),
        ChatMessage(
            id: MessageID(17), from: "m-2", alias: "Sam", role: .participant, scope: .breakout(group: 2), text: tricky,
            sentAt: at),
        ChatMessage(
            id: MessageID(18), from: "f-1", alias: "Dr. Lee", role: .facilitator, scope: .breakoutBroadcast,
            text: "two minutes", sentAt: at),
    ]

    static let roster = Roster(
        entries: [
            RosterEntry(
                member: "f-1", alias: "Dr. Lee", role: .facilitator, presence: .here, queuePosition: nil, muted: false),
            RosterEntry(
                member: "m-2", alias: "Sam", role: .participant, presence: .away, queuePosition: 1, muted: true),
            RosterEntry(
                member: "m-3", alias: "Ana", role: .participant, presence: .reconnecting, queuePosition: 2, muted: false
            ),
            RosterEntry(
                member: "m-4", alias: "Jo", role: .participant, presence: .inSideRoom, queuePosition: nil, muted: false),
        ], floor: "m-3")

    static let template = CheckInTemplate(
        id: "all-kinds", title: "All kinds",
        fields: [
            CheckInField(id: "mood", prompt: "Mood", kind: .scale(0...10)),
            CheckInField(id: "word", prompt: "One word", kind: .word(maxLength: 30)),
            CheckInField(id: "rose", prompt: "A rose", kind: .text(maxLength: 280)),
        ], visibility: .group)

    static let round = CheckInRoundInfo(round: 2, template: template, startedAt: at, closesAt: at + .seconds(120))
    static let openRound = CheckInRoundInfo(
        round: 3, template: CheckInCatalogue.craving, startedAt: at, closesAt: nil)

    static let distribution = [
        ScoreDistribution(field: "mood", counts: [3: 1, 7: 2, 10: 1]), ScoreDistribution(field: "empty", counts: [:]),
    ]

    static func exercise(_ change: ExerciseChange, paused: Bool = false) -> ExerciseStatus {
        let phases = ExerciseCatalogue.boxBreathing.phases.enumerated().dropFirst(2).map { index, phase in
            ScheduledPhase(
                index: index, name: phase.name, prompt: phase.prompt, duration: phase.duration,
                startsAt: at + .seconds(Int64(4 * index)), endsAt: at + .seconds(Int64(4 * index + 4)))
        }
        return ExerciseStatus(
            run: 1, exerciseID: "box-breathing", name: "Box breathing", phases: phases, currentPhase: 2,
            paused: paused, remainingInPhase: .milliseconds(2750), change: change)
    }

    static let alert = CrisisAlertInfo(id: AlertID(1), member: "m-2", alias: "Sam", raisedAt: at)
    static let agenda = AgendaStatus(index: 1, name: "Skills", startedAt: at, endsAt: at + .seconds(3600))
    static let sideRoom = SideRoomInfo(
        participant: "m-2", participantAlias: "Sam", facilitator: "f-1", facilitatorAlias: "Dr. Lee", openedAt: at)
    static let waiting = [
        WaitingEntry(member: "m-5", alias: "Kim", since: at, reconnecting: false),
        WaitingEntry(member: "m-6", alias: "Max", since: at + .seconds(3), reconnecting: true),
    ]

    static func snapshot(kind: RoomKind, full: Bool) -> RoomSnapshot {
        RoomSnapshot(
            roomID: "iop-tue", title: "Tuesday evening IOP", kind: kind, you: full ? "f-1" : "m-2",
            role: full ? .facilitator : .participant, roster: full ? roster : Roster(entries: [], floor: nil),
            chatPaused: full, locked: !full, checkIn: full ? round : nil, checkInResponded: full,
            exercise: full ? exercise(.current) : nil, sittingOutExercise: !full, agenda: full ? agenda : nil,
            waiting: full ? waiting : [], openAlerts: full ? [alert] : [], sideRooms: full ? [sideRoom] : [])
    }
}
