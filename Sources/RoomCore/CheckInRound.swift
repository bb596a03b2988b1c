/// The open check-in round: who answered (in order), who passed, and the
/// answers. A small state machine the room composes; the room decides who may
/// respond and who sees what, the round only keeps and counts.
struct CheckInRound: Sendable, Equatable {
    var info: CheckInRoundInfo
    var answered: [MemberID] = []
    var passed: [MemberID] = []
    var answers: [MemberID: CheckInAnswer] = [:]

    func hasResponded(_ member: MemberID) -> Bool {
        answers[member] != nil || passed.contains(member)
    }

    /// Keeps a member's answer or pass (the room checked it first).
    mutating func record(_ outcome: CheckInResponse.Outcome, from member: MemberID) {
        switch outcome {
        case .answered(let answer):
            answers[member] = answer
            answered.append(member)
        case .passed:
            passed.append(member)
        }
    }

    /// How many answered each score of each scale field.
    var distribution: [ScoreDistribution] {
        info.template.fields.compactMap { field in
            guard case .scale = field.kind else { return nil }
            var counts: [Int: Int] = [:]
            for member in answered {
                if case .score(let score)? = answers[member]?.values[field.id] { counts[score, default: 0] += 1 }
            }
            return ScoreDistribution(field: field.id, counts: counts)
        }
    }

    /// Who answered, passed and not yet (`pending`: the participants present who have not).
    func progress(pending: [MemberID]) -> CheckInProgress {
        CheckInProgress(
            round: info.round, answered: answered, passed: passed, pending: pending, distribution: distribution)
    }

    /// The round's closing summary, with the distribution.
    func summary(noResponse: Int, reason: CheckInSummary.Reason) -> CheckInSummary {
        CheckInSummary(
            round: info.round, answeredCount: answered.count, passedCount: passed.count,
            noResponseCount: noResponse, distribution: distribution, reason: reason)
    }
}
