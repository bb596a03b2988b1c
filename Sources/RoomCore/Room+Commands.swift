/// Command handling in two steps, so that a refused command changes nothing by
/// construction: ``check(_:from:)`` (non-mutating, may throw) turns a command into
/// a ``CommandPlan``, and ``apply(_:by:)`` (mutating, cannot throw) carries it out.
/// Both switches are exhaustive: a new command does not compile until it has a
/// requirement, a check and a plan.
extension Room {
    /// Who may send a command and how far into the room they must be.
    ///
    /// Checks run in this order, the first failing one giving the code:
    /// `session_ended`, `removed`/`declined`, `not_connected`, `not_permitted`
    /// (role), `agreement_required`, `not_admitted`, then the command's own rules
    /// (`muted`, `chat_paused`, `in_side_room`, `message_too_long`...).
    public static func requirement(of command: Command) -> CommandRequirement {
        switch command {
        case .startBreakout, .visitBreakout, .broadcastToBreakouts, .endBreakout:
            return CommandRequirement(role: .facilitator, stage: .admitted)
        case .acceptAgreement, .ping:
            return CommandRequirement(role: nil, stage: .connected)
        case .crisisAlert:
            return CommandRequirement(role: .participant, stage: .connected)
        case .sendChat, .privateMessage, .sideRoomMessage, .deleteMessage, .lowerHand, .stepOut, .comeBack, .react,
            .unreact:
            return CommandRequirement(role: nil, stage: .admitted)
        case .messageFacilitators, .raiseHand, .answerCheckIn, .passCheckIn, .sitOutExercise, .rejoinExercise,
            .votePoll, .setCue, .clearCue, .fillCard, .shareCard:
            return CommandRequirement(role: .participant, stage: .admitted)
        case .admit, .decline, .lockRoom, .unlockRoom, .backChannel, .redactMessage, .clearHand, .giveFloor,
            .takeFloor, .mute, .unmute, .muteAll, .unmuteAll, .pauseChat, .resumeChat, .remove, .endSession,
            .startCheckIn, .closeCheckIn, .startExercise, .pauseExercise, .resumeExercise, .skipExercisePhase,
            .stopExercise, .acknowledgeCrisis, .startAgendaItem, .endAgenda, .openSideRoom, .closeSideRoom, .askPoll,
            .closePoll, .getBalance, .markBalance, .showCard, .withdrawCard, .recordAbsence, .clearAbsence:
            return CommandRequirement(role: .facilitator, stage: .admitted)
        }
    }

    /// Applies the common gate of ``requirement(of:)`` and returns the sender's state.
    func admittedSender(_ member: MemberID, for command: Command) throws(RoomError) -> MemberState {
        guard phase == .open else { throw .sessionEnded }
        if let ban = banned[member] { throw ban.refusal }
        guard let sender = members[member], sender.connection != nil else { throw .notConnected }
        let requirement = Room.requirement(of: command)
        if let role = requirement.role, role != sender.identity.role { throw .notPermitted }
        guard requirement.stage == .admitted, sender.isParticipant else { return sender }
        if sender.stage == .needsAgreement { throw .agreementRequired }
        if sender.stage == .waiting { throw .notAdmitted }
        return sender
    }

    /// Every check a command must pass, in the order of ``requirement(of:)``; reads
    /// the room and changes nothing. Returns the sender and what the command will do.
    func check(_ command: Command, from member: MemberID) throws(RoomError) -> (MemberState, CommandPlan) {
        let sender = try admittedSender(member, for: command)
        return (sender, try plan(command, by: sender))
    }

    /// The one switch over ``Command`` (no `default`): each command's own check.
    private func plan(_ command: Command, by sender: MemberState) throws(RoomError) -> CommandPlan {
        switch command {
        case .acceptAgreement(let version): try checkAgreement(version, by: sender)
        case .admit(let target): try checkAdmit(target)
        case .decline(let target): try checkDecline(target)
        case .lockRoom: .setLocked(true)
        case .unlockRoom: .setLocked(false)
        case .sendChat(let text): try checkGroupChat(text, by: sender)
        case .messageFacilitators(let text): try checkToFacilitators(text, by: sender)
        case .privateMessage(let target, let text): try checkPrivateMessageInBreakout(text, to: target, by: sender)
        case .backChannel(let text): try checkBackChannel(text)
        case .sideRoomMessage(let text): try checkSideRoomMessage(text, by: sender)
        case .deleteMessage(let id): try checkDelete(id, by: sender)
        case .redactMessage(let id): try checkRedact(id, by: sender)
        case .raiseHand: try checkHandRaise(by: sender)
        case .lowerHand: checkHandLower(of: sender.id, clearedBy: nil)
        case .clearHand(let target): try checkHandClear(of: target, by: sender)
        case .giveFloor(let target): try checkFloorGive(to: target, by: sender)
        case .takeFloor: try checkFloorTake(by: sender)
        case .mute(let target): .setMuted(try participantTarget(target, admittedOnly: false).id, true)
        case .unmute(let target): .setMuted(try participantTarget(target, admittedOnly: false).id, false)
        case .muteAll: .setAllMuted(true)
        case .unmuteAll: .setAllMuted(false)
        case .pauseChat: .setChatPaused(true)
        case .resumeChat: .setChatPaused(false)
        case .remove(let target): .remove(try participantTarget(target, admittedOnly: false))
        case .endSession: .endSession
        case .startCheckIn(let template, let timeout): try checkStartCheckIn(template, timeout: timeout)
        case .answerCheckIn(let answer): try checkCheckInResponse(.answered(answer), by: sender)
        case .passCheckIn: try checkCheckInResponse(.passed, by: sender)
        case .closeCheckIn: try checkCloseCheckIn()
        case .startExercise(let id): try checkStartExercise(id)
        case .pauseExercise: try checkPauseExercise()
        case .resumeExercise: try checkResumeExercise()
        case .skipExercisePhase: try checkSkipExercisePhase()
        case .stopExercise: try checkStopExercise()
        case .sitOutExercise: try checkSitOutExercise()
        case .rejoinExercise: try checkRejoinExercise(by: sender)
        case .crisisAlert: .raiseCrisisAlert
        case .acknowledgeCrisis(let alert): try checkAcknowledgeCrisis(alert)
        case .startAgendaItem(let index): try checkStartAgendaItem(index)
        case .endAgenda: .endAgenda
        case .stepOut: .setAway(true)
        case .comeBack: .setAway(false)
        case .openSideRoom(let target): try checkOpenSideRoom(with: target, by: sender)
        case .closeSideRoom(let target): try checkCloseSideRoom(with: target)
        case .askPoll(let request): try checkAskPoll(request)
        case .votePoll(let number, let choice): try checkVote(poll: number, choice: choice, by: sender)
        case .closePoll: try checkClosePoll()
        case .react(let message, let kind): try checkReaction(kind, to: message, adding: true, by: sender)
        case .unreact(let message, let kind): try checkReaction(kind, to: message, adding: false, by: sender)
        case .setCue(let cue): checkCue(cue, by: sender)
        case .clearCue: checkCue(nil, by: sender)
        case .getBalance: .sendBalance
        case .markBalance: .markBalance
        case .showCard(let id): try checkShowCard(id)
        case .withdrawCard: try checkWithdrawCard()
        case .fillCard(let number, let field, let text):
            try checkFillCard(card: number, field: field, text: text, by: sender)
        case .shareCard(let number): try checkShareCard(card: number, by: sender)
        case .startBreakout(let request): try checkStartBreakout(request)
        case .visitBreakout(let group): try checkVisitBreakout(group, by: sender)
        case .broadcastToBreakouts(let text): try checkBreakoutBroadcast(text)
        case .endBreakout: try checkEndBreakout()
        case .recordAbsence(let entry): try checkRecordAbsence(entry)
        case .clearAbsence(let member, let session):
            try checkRecordAbsence(AbsenceEntry(member: member, session: session, reason: nil))
        case .ping: .nothing
        }
    }

    /// Carries out a plan made by ``check(_:from:)``; cannot fail.
    mutating func apply(_ plan: CommandPlan, by sender: MemberState) {
        switch plan {
        case .nothing: break
        case .recordAbsence(let entry): recordAbsence(entry, by: sender)
        case .consent(let version): consent(version, by: sender)
        case .admit(let target): admit(target, by: sender)
        case .decline(let target): decline(target, by: sender)
        case .setLocked(let locked): setLocked(locked, by: sender)
        case .post(let text, let scope, let audience): post(text, scope: scope, by: sender, to: audience)
        case .withdraw(let stored, let reason): withdraw(stored, reason: reason, by: sender)
        case .raiseHand: raiseHand(by: sender)
        case .lowerHand(let member, let actor): lowerHand(of: member, by: actor)
        case .giveFloor(let target): giveFloor(to: target, by: sender)
        case .takeFloor: takeFloor(by: sender)
        case .setMuted(let target, let muted): setMuted(muted, target, by: sender)
        case .setAllMuted(let muted): setAllMuted(muted, by: sender)
        case .setChatPaused(let paused): setChatPaused(paused, by: sender)
        case .remove(let target): remove(target, by: sender)
        case .endSession: endSession(by: sender.id)
        case .setAway(let away): setAway(away, sender)
        case .startCheckIn(let template, let closesAt): startCheckIn(template, closesAt: closesAt)
        case .respondToCheckIn(let outcome): respondToCheckIn(outcome, by: sender)
        case .closeCheckIn: closeCheckIn()
        case .startExercise(let exercise): startExercise(exercise)
        case .pauseExercise: pauseExercise()
        case .resumeExercise: resumeExercise()
        case .skipExercisePhase: skipExercisePhase()
        case .stopExercise: stopExercise()
        case .sitOutExercise: sitOutExercise(sender)
        case .rejoinExercise: rejoinExercise(sender)
        case .raiseCrisisAlert: raiseCrisisAlert(by: sender)
        case .acknowledgeCrisis(let index): acknowledgeCrisis(at: index, by: sender)
        case .startAgendaItem(let index): startAgendaItem(index)
        case .endAgenda: endAgenda()
        case .openSideRoom(let participant): openSideRoom(with: participant, by: sender)
        case .closeSideRoom(let info): closeSideRoom(info, by: sender.id)
        case .askPoll(let request, let closesAt): askPoll(request, closesAt: closesAt)
        case .vote(let choice): vote(choice, by: sender)
        case .closePoll: closePoll()
        case .setReaction(let kind, let stored, let on): setReaction(kind, on: stored, on, by: sender)
        case .setCue(let cue): setCue(cue, of: sender)
        case .sendBalance: sendBalance(to: sender)
        case .markBalance: markBalance(by: sender)
        case .breakout(let breakoutPlan): apply(breakoutPlan, by: sender)
        case .showCard(let skillsCard): showCard(skillsCard)
        case .withdrawCard: withdrawCard()
        case .fillCard(let field, let text): fillCard(field, with: text, by: sender)
        case .shareCard: shareCard(by: sender)
        }
        noteParticipation(plan, by: sender)
    }
}
