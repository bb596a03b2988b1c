/// The participation balance: what the room tells ``ParticipationBalance`` after
/// each accepted command, and the facilitators' `balance.get` and `balance.mark`.
/// Counts and times only; the report goes to the facilitator who asked.
extension Room {
    /// Notes what an accepted plan means for the balance (and prunes reactions of
    /// withdrawn messages). Called after the plan is applied.
    mutating func noteParticipation(_ plan: CommandPlan, by sender: MemberState) {
        switch plan {
        case .post(_, let scope, _):
            if scope == .group || scope.isBreakoutGroup { balance.postedToGroup(sender, at: now) }
            pruneReactions()
        case .raiseHand: balance.raisedHand(sender)
        case .respondToCheckIn(.answered): balance.respondedToCheckIn(sender, answered: true)
        case .respondToCheckIn(.passed): balance.respondedToCheckIn(sender, answered: false)
        case .setAway(let away): balance.setAway(away, sender, at: now)
        case .startAgendaItem: balance.mark(now)
        case .withdraw(let stored, _): reactions.forget(stored.message.id)
        case .breakout: break
        case .nothing, .recordAbsence, .consent, .admit, .decline, .setLocked, .lowerHand, .giveFloor, .takeFloor,
            .setMuted,
            .setAllMuted, .setChatPaused, .remove, .endSession, .startCheckIn, .closeCheckIn, .startExercise,
            .pauseExercise, .resumeExercise, .skipExercisePhase, .stopExercise, .sitOutExercise, .rejoinExercise,
            .raiseCrisisAlert, .acknowledgeCrisis, .endAgenda, .openSideRoom, .closeSideRoom, .askPoll, .vote,
            .closePoll, .setReaction, .setCue, .sendBalance, .markBalance, .showCard, .withdrawCard, .fillCard,
            .shareCard:
            break
        }
    }

    /// A participant was admitted: listed in the balance from now on, and one more may answer the poll.
    mutating func toolkitAdmitted(_ member: MemberState) {
        balance.admitted(member)
        if member.isParticipant { sendPollProgress() }
    }

    /// A member left the room: their cue goes, their away time closes, one fewer may answer the poll.
    mutating func toolkitDeparted(_ member: MemberState) {
        clearCue(ofLeaving: member)
        balance.left(member, at: now)
        if member.isParticipant, member.isAdmitted { sendPollProgress() }
    }

    /// Forgets the toolkit's state at the session's end (the poll's timer is cancelled
    /// with the others).
    mutating func purgeToolkit() {
        poll = nil
        reactions.removeAll()
        cues.removeAll()
        balance = ParticipationBalance(since: now)
    }

    /// The report, to the facilitator who asked.
    mutating func sendBalance(to facilitator: MemberState) {
        let report = balance.report(at: now) { members[$0]?.isAdmitted == true }
        emit(.balance(report), to: .members([facilitator.id]))
    }

    /// "Not yet heard" counts from now; the facilitator gets the report at once.
    mutating func markBalance(by facilitator: MemberState) {
        balance.mark(now)
        sendBalance(to: facilitator)
    }
}
