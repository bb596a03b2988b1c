import RoomCore

extension Samples {
    /// Every `RoomEvent` case, with every enum case its payloads carry.
    static let events: [RoomEvent] =
        [
            .agreementRequired(GroupAgreement.sample), .waitingForAdmission, .waitingRoom(waiting), .waitingRoom([]),
            .snapshot(snapshot(kind: .process, full: true)), .snapshot(snapshot(kind: .skills, full: false)),
            .snapshot(snapshot(kind: .family, full: false)), .snapshot(snapshot(kind: .individual, full: true)),
            .backlog(messages), .backlog([]), .roster(roster), .roster(Roster(entries: [], floor: nil)),
            .lockChanged(locked: true), .lockChanged(locked: false),
            .chatPauseChanged(paused: true), .chatPauseChanged(paused: false),
        ] + messages.map { .message($0) } + [
            .messageRemoved(MessageRemoval(message: MessageID(12), reason: .redacted)),
            .messageRemoved(MessageRemoval(message: MessageID(13), reason: .deleted)),
            .checkInStarted(round), .checkInStarted(openRound),
            .checkInResponse(
                CheckInResponse(
                    round: 2, member: "m-2", alias: "Sam",
                    outcome: .answered(
                        CheckInAnswer(["mood": .score(6), "word": .text("tired"), "rose": .text(tricky)])))),
            .checkInResponse(CheckInResponse(round: 2, member: "m-3", alias: "Ana", outcome: .passed)),
            .checkInProgress(
                CheckInProgress(
                    round: 2, answered: ["m-2"], passed: ["m-3"], pending: ["m-4", "m-5"],
                    distribution: distribution)),
            .checkInClosed(
                CheckInSummary(
                    round: 2, answeredCount: 4, passedCount: 1, noResponseCount: 2,
                    distribution: distribution, reason: .closed)),
            .checkInClosed(
                CheckInSummary(
                    round: 3, answeredCount: 0, passedCount: 0, noResponseCount: 0,
                    distribution: nil, reason: .timedOut)),
            .checkInClosed(
                CheckInSummary(
                    round: 4, answeredCount: 1, passedCount: 0, noResponseCount: 9,
                    distribution: [], reason: .sessionEnded)),
            .exercise(exercise(.started)), .exercise(exercise(.phaseChanged)),
            .exercise(exercise(.paused, paused: true)),
            .exercise(exercise(.resumed)), .exercise(exercise(.skipped)), .exercise(exercise(.current)),
            .exerciseEnded(ExerciseEnd(run: 1, exerciseID: "box-breathing", reason: .completed)),
            .exerciseEnded(ExerciseEnd(run: 2, exerciseID: "urge-surfing", reason: .stopped)),
            .crisisAlertRaised(alert), .crisisAlertReceived(alert: AlertID(1), facilitatorsNotified: 2),
            .crisisAlertReceived(alert: AlertID(2), facilitatorsNotified: 0),
            .crisisAlertAcknowledged(
                CrisisAcknowledgement(id: AlertID(1), member: "m-2", by: "f-1", byAlias: "Dr. Lee", at: at)),
            .agenda(agenda), .agenda(nil), .agendaTimeUp(agenda),
            .sideRoomOpened(sideRoom), .sideRoomClosed(sideRoom), .sessionEnded,
            .idleWarning(logoffAt: at),
            .pollOpened(
                PollInfo(
                    poll: 1, question: tricky, choices: .options(["yes", "no"]), audience: .group, openedAt: at,
                    closesAt: at + .seconds(60))),
            .pollOpened(
                PollInfo(
                    poll: 2, question: "0-10?", choices: .scale, audience: .facilitators, openedAt: at, closesAt: nil)),
            .pollProgress(PollProgress(poll: 1, answered: 2, eligible: 5)),
            .pollClosed(PollResults(poll: 1, counts: [3, 0], answered: 3, reason: .closed)),
            .pollClosed(PollResults(poll: 2, counts: nil, answered: 0, reason: .timedOut)),
            .reactions(
                ReactionTally(
                    message: MessageID(12),
                    counts: [
                        ReactionCount(kind: .meToo, count: 2, aliases: []),
                        ReactionCount(kind: .thankYou, count: 1, aliases: ["Sam"]),
                        ReactionCount(kind: .support, count: 1, aliases: []),
                    ])),
            .reactions(ReactionTally(message: MessageID(13), counts: [])),
            .cueChanged(CueChange(member: "m-2", alias: "Sam", cue: .pause)),
            .cueChanged(CueChange(member: "m-2", alias: "Sam", cue: .wantToSpeak)),
            .cueChanged(CueChange(member: "m-2", alias: "Sam", cue: .ok)),
            .cueChanged(CueChange(member: "m-2", alias: "Sam", cue: nil)),
            .breakout(breakoutStatus), .breakout(BreakoutStatus(run: 1, groupCount: 3, endsAt: at, groups: [])),
            .breakoutEnded(BreakoutEnd(run: 1, reason: .ended)), .breakoutEnded(BreakoutEnd(run: 2, reason: .timeUp)),
            .balance(
                BalanceReport(
                    since: at,
                    entries: [
                        BalanceEntry(
                            member: "m-2", alias: "Sam", present: true, messages: 3, hands: 1, floorSeconds: 95,
                            checkInsAnswered: 1, checkInsPassed: 0, awaySeconds: 0, notYetHeard: false),
                        BalanceEntry(
                            member: "m-3", alias: "Ana", present: false, messages: 0, hands: 0, floorSeconds: 0,
                            checkInsAnswered: 0, checkInsPassed: 1, awaySeconds: 300, notYetHeard: true),
                    ])),
        ] + cardEvents + [
            .absenceRecorded(
                AbsenceRecord(
                    entry: AbsenceEntry(member: "m-2", session: "2026-03-09T18:00", reason: .unexcused),
                    recordedBy: "m-1", at: at)),
            .absenceRecorded(
                AbsenceRecord(
                    entry: AbsenceEntry(member: "m-2", session: "2026-03-09T18:00", reason: nil), recordedBy: "m-1",
                    at: at)),
        ]

    static let eventCaseCount = 38

    /// A distinct number per case; no default, so a new case fails to compile here.
    static func eventCaseIndex(_ event: RoomEvent) -> Int {
        switch event {
        case .agreementRequired: 0
        case .waitingForAdmission: 1
        case .waitingRoom: 2
        case .snapshot: 3
        case .backlog: 4
        case .roster: 5
        case .lockChanged: 6
        case .chatPauseChanged: 7
        case .message: 8
        case .messageRemoved: 9
        case .checkInStarted: 10
        case .checkInResponse: 11
        case .checkInProgress: 12
        case .checkInClosed: 13
        case .exercise: 14
        case .exerciseEnded: 15
        case .crisisAlertRaised: 16
        case .crisisAlertReceived: 17
        case .crisisAlertAcknowledged: 18
        case .agenda: 19
        case .agendaTimeUp: 20
        case .sideRoomOpened: 21
        case .sideRoomClosed: 22
        case .sessionEnded: 23
        case .idleWarning: 24
        case .pollOpened: 25
        case .pollProgress: 26
        case .pollClosed: 27
        case .reactions: 28
        case .cueChanged: 29
        case .balance: 30
        case .cardShown: 31
        case .cardWithdrawn: 32
        case .cardFields: 33
        case .cardShared: 34
        case .breakout: 35
        case .breakoutEnded: 36
        case .absenceRecorded: 37
        }
    }
}
