import RoomCore

extension EventText {
    /// The lines of the toolkit's events: polls, reactions, cues, the balance.
    static func toolkitLines(_ event: RoomEvent, _ model: RoomViewModel) -> [String] {
        switch event {
        case .pollOpened(let info): return [pollQuestion(info, model)]
        case .pollProgress(let progress):
            return ["Poll \(progress.poll): \(progress.answered) of \(progress.eligible) answered."]
        case .pollClosed(let results): return [pollResults(results, model)]
        case .reactions(let tally):
            guard !tally.counts.isEmpty else { return ["Reactions to [\(tally.message)]: none."] }
            let parts = tally.counts.map { count in
                let names = count.aliases.isEmpty ? "" : " (" + count.aliases.map(plain).joined(separator: ", ") + ")"
                return "\(reactionName(count.kind)) \(count.count)\(names)"
            }
            return ["Reactions to [\(tally.message)]: \(parts.joined(separator: ", "))"]
        case .cueChanged(let change):
            let who = change.member == model.me?.id ? "You" : plain(change.alias)
            guard let cue = change.cue else {
                return [change.member == model.me?.id ? "Your cue is cleared." : "\(who) cleared their cue."]
            }
            return ["Cue: \(who) — \(cueText(cue))."]
        case .balance(let report): return balanceLines(report)
        default: return []
        }
    }

    static func pollQuestion(_ info: PollInfo, _ model: RoomViewModel) -> String {
        let audience = info.audience == .group ? "results to everyone" : "results to the facilitators"
        let how: String
        switch info.choices {
        case .options(let options):
            let list = options.enumerated().map { "\($0.offset + 1)) \($0.element.revealed)" }.joined(separator: "  ")
            how =
                "\(list) — "
                + (model.role == .participant ? "answer with /vote N" : "participants answer with /vote N")
        case .scale:
            how = "0 to 10 — " + (model.role == .participant ? "answer with /vote 0-10" : "participants answer 0-10")
        }
        return "Poll \(info.poll) (anonymous, \(audience)): \(info.question.revealed)  \(how)"
    }

    static func pollResults(_ results: PollResults, _ model: RoomViewModel) -> String {
        let heading = "Poll \(results.poll) \(results.reason == .timedOut ? "timed out" : "closed")"
        guard let counts = results.counts else {
            return "\(heading): \(results.answered) answered; the results are for the facilitators."
        }
        let labels: [String]
        if let info = model.toolkit.poll, info.poll == results.poll, case .options(let options) = info.choices {
            labels = options.map(\.revealed)
        } else {
            labels = counts.indices.map(String.init)
        }
        let parts = zip(labels, counts).map { "\($0): \($1)" }
        return "\(heading): \(parts.joined(separator: ", ")) (\(results.answered) answered)"
    }

    static func reactionName(_ kind: ReactionKind) -> String {
        switch kind {
        case .meToo: "me too"
        case .thankYou: "thank you"
        case .support: "support"
        }
    }

    static func cueText(_ cue: Cue) -> String {
        switch cue {
        case .pause: "needs a pause"
        case .wantToSpeak: "would like to speak"
        case .ok: "is OK"
        }
    }

    /// The balance, one line per participant, and the not-yet-heard list.
    static func balanceLines(_ report: BalanceReport) -> [String] {
        guard !report.entries.isEmpty else { return ["Participation: no participant admitted yet."] }
        var lines = ["Participation this session (counts and times only):"]
        for entry in report.entries {
            let gone = entry.present ? "" : " (left)"
            let quiet = entry.present && entry.notYetHeard ? " — not yet heard" : ""
            lines.append(
                "  \(plain(entry.alias))\(gone): \(entry.messages) msg, \(entry.hands) hand\(entry.hands == 1 ? "" : "s"), "
                    + "floor \(minutes(entry.floorSeconds)), check-ins \(entry.checkInsAnswered) answered "
                    + "\(entry.checkInsPassed) passed, away \(minutes(entry.awaySeconds))\(quiet)")
        }
        let quiet = report.entries.filter { $0.present && $0.notYetHeard }.map { plain($0.alias) }
        lines.append(
            quiet.isEmpty
                ? "Everyone present has been heard since the mark."
                : "Not yet heard since the mark: \(quiet.joined(separator: ", ")). (/balance mark moves it to now.)")
        return lines
    }

    /// `1:35` (minutes and seconds).
    static func minutes(_ seconds: Int64) -> String {
        let value = max(0, seconds)
        let rest = value % 60
        return "\(value / 60):\(rest < 10 ? "0" : "")\(rest)"
    }
}
