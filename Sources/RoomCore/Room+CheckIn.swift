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
        if case .answered(let answer) = outcome, !Room.isValid(answer, for: round.info.template) {
            throw .invalidAnswer
        }
        return .respondToCheckIn(outcome)
    }

    mutating func respondToCheckIn(_ outcome: CheckInResponse.Outcome, by sender: MemberState) {
        guard var round = checkIn else { return }
        switch outcome {
        case .answered(let answer):
            round.answers[sender.id] = answer
            round.answered.append(sender.id)
        case .passed:
            round.passed.append(sender.id)
        }
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
        let pending = pendingParticipants(round)
        var summary = CheckInSummary(
            round: round.info.round, answeredCount: round.answered.count, passedCount: round.passed.count,
            noResponseCount: pending.count, distribution: distribution(round), reason: reason)
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
        let progress = CheckInProgress(
            round: round.info.round, answered: round.answered, passed: round.passed,
            pending: pendingParticipants(round), distribution: distribution(round))
        emit(.checkInProgress(progress), to: .facilitators)
    }

    private func pendingParticipants(_ round: CheckInRound) -> [MemberID] {
        order.filter { id in
            guard let member = members[id], member.isAdmitted, member.isParticipant else { return false }
            return !round.hasResponded(id)
        }
    }

    private func distribution(_ round: CheckInRound) -> [ScoreDistribution] {
        round.info.template.fields.compactMap { field in
            guard case .scale = field.kind else { return nil }
            var counts: [Int: Int] = [:]
            for member in round.answered {
                if case .score(let score)? = round.answers[member]?.values[field.id] { counts[score, default: 0] += 1 }
            }
            return ScoreDistribution(field: field.id, counts: counts)
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

    /// Whether an answer has exactly the template's fields, each of the right kind and size.
    static func isValid(_ answer: CheckInAnswer, for template: CheckInTemplate) -> Bool {
        guard answer.values.count == template.fields.count else { return false }
        return template.fields.allSatisfy { field in
            switch (field.kind, answer.values[field.id]) {
            case (.scale(let range), .score(let score)?):
                return range.contains(score)
            case (.word(let maxLength), .text(let text)?):
                return text.check(TextLimit(characters: maxLength)) == .accepted
                    && !text.revealed.contains(where: \.isWhitespace)
            case (.text(let maxLength), .text(let text)?):
                return text.check(TextLimit(characters: maxLength)) == .accepted
            default:
                return false
            }
        }
    }
}
