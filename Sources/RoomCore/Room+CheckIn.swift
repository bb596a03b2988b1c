extension Room {
    /// A round opens from a known template when none is open. A non-positive
    /// timeout means no timeout.
    func checkStartCheckIn(_ templateID: String, timeout: Duration?) throws(RoomError) -> CommandPlan {
        guard checkIn == nil else { throw .roundAlreadyActive }
        guard let template = configuration.checkInTemplates.first(where: { $0.id == templateID })
        else { throw .unknownTemplate }
        return .startCheckIn(template, closesAt: timeout.flatMap { $0 > .zero ? now + $0 : nil })
    }

    mutating func startCheckIn(_ template: CheckInTemplate, closesAt: Timestamp?) {
        lastRound += 1
        let info = CheckInRoundInfo(round: lastRound, template: template, startedAt: now, closesAt: closesAt)
        checkIn = CheckInRound(info: info)
        if let closesAt { schedule(.checkInDeadline(round: lastRound), at: closesAt) }
        emit(.checkInStarted(info), to: .group)
        sendCheckInProgress()
    }

    func checkCheckInResponse(
        _ outcome: CheckInResponse.Outcome, by sender: MemberState
    ) throws(RoomError) -> CommandPlan {
        guard let round = checkIn else { throw .noActiveRound }
        if inSideRoom(sender.id) { throw .inSideRoom }
        guard !round.hasResponded(sender.id) else { throw .alreadyAnswered }
        if case .answered(let answer) = outcome, !round.info.template.accepts(answer) {
            throw .invalidAnswer
        }
        return .respondToCheckIn(outcome)
    }

    mutating func respondToCheckIn(_ outcome: CheckInResponse.Outcome, by sender: MemberState) {
        guard var round = checkIn else { return }
        round.record(outcome, from: sender.id)
        checkIn = round
        let response = CheckInResponse(
            round: round.info.round, member: sender.id, alias: sender.identity.alias, outcome: outcome)
        switch round.info.template.visibility {
        case .group: emit(.checkInResponse(response), to: .group)
        case .facilitatorsOnly: emit(.checkInResponse(response), to: .members(facilitatorIDs + [sender.id]))
        }
        if case .answered(let answer) = outcome { retainScores(answer, of: sender, template: round.info.template) }
        sendCheckInProgress()
    }

    func checkCloseCheckIn() throws(RoomError) -> CommandPlan {
        guard checkIn != nil else { throw .noActiveRound }
        return .closeCheckIn
    }

    mutating func closeCheckIn() {
        guard let round = checkIn else { return }
        if round.info.closesAt != nil { cancel(.checkInDeadline(round: round.info.round)) }
        finishCheckIn(reason: .closed)
    }

    mutating func checkInDeadlinePassed(_ round: UInt64) {
        guard checkIn?.info.round == round else { return }
        finishCheckIn(reason: .timedOut)
    }

    /// Tells the group the round closed and forgets its answers.
    private mutating func finishCheckIn(reason: CheckInSummary.Reason) {
        guard let round = checkIn else { return }
        var summary = round.summary(noResponse: pendingParticipants(round).count, reason: reason)
        if round.info.template.visibility == .group {
            emit(.checkInClosed(summary), to: .group)
        } else {
            emit(.checkInClosed(summary), to: .facilitators)
            summary.distribution = nil
            emit(.checkInClosed(summary), to: .groupParticipants)
        }
        checkIn = nil
    }

    /// Sends facilitators who answered, passed and not yet, and the distribution.
    mutating func sendCheckInProgress() {
        guard let round = checkIn else { return }
        emit(.checkInProgress(round.progress(pending: pendingParticipants(round))), to: .facilitators)
    }

    private func pendingParticipants(_ round: CheckInRound) -> [MemberID] {
        order.filter { id in
            guard let member = members[id], member.isAdmitted, member.isParticipant else { return false }
            return !round.hasResponded(id)
        }
    }

    private mutating func retainScores(_ answer: CheckInAnswer, of member: MemberState, template: CheckInTemplate) {
        guard policy.retainCheckInScores else { return }
        for field in template.fields {
            guard case .score(let score)? = answer.values[field.id] else { continue }
            let kept = CheckInScoreRecord(
                member: member.id, template: template.id, field: field.id, score: score, at: now)
            outbox.append(.record(.checkInScore(kept)))
        }
    }
}
