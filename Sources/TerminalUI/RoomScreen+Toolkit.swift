import RoomClient
import RoomCore

extension RoomScreen {
    /// The side panel's toolkit lines: the open poll (how many answered, for
    /// facilitators), the cues this member sees, and who the last balance found not
    /// yet heard from (facilitators; `/balance` refreshes it).
    static func toolkitPanel(_ model: RoomViewModel) -> [(String, CellStyle)] {
        var lines: [(String, CellStyle)] = []
        let toolkit = model.toolkit
        if let poll = toolkit.poll, toolkit.pollOpen {
            lines.append(("Poll \(poll.poll) (anonymous)", Styles.title))
            if let progress = toolkit.pollProgress, model.role == .facilitator {
                lines.append(("  \(progress.answered) of \(progress.eligible) answered", .plain))
            } else if model.role == .participant {
                lines.append(("  /vote to answer", Styles.dim))
            }
        }
        let cues = model.roster.entries.compactMap { entry in
            toolkit.cues[entry.member].map { (entry.alias, $0) }
        }
        if !cues.isEmpty {
            lines.append(("Cues", Styles.title))
            lines += cues.map { ("  \(EventText.plain($0.0)): \(cueMark($0.1))", .plain) }
        }
        if model.role == .facilitator, toolkit.balance != nil {
            let quiet = model.roster.entries.filter { toolkit.notYetHeard.contains($0.member) }
            lines.append(("Not yet heard (\(quiet.count))", Styles.title))
            lines += quiet.map { ("  \(EventText.plain($0.alias))", .plain) }
        }
        if !lines.isEmpty { lines.append(("", .plain)) }
        return lines
    }

    /// The roster marks of the toolkit: a member's cue, and "quiet" for one the last
    /// balance found not yet heard from.
    static func toolkitMarks(_ entry: RosterEntry, _ model: RoomViewModel) -> String {
        var marks: [String] = []
        if let cue = model.toolkit.cues[entry.member] { marks.append(cueMark(cue)) }
        if model.toolkit.notYetHeard.contains(entry.member) { marks.append("quiet") }
        return marks.isEmpty ? "" : " (" + marks.joined(separator: ", ") + ")"
    }

    /// A cue as a short mark.
    static func cueMark(_ cue: Cue) -> String {
        switch cue {
        case .pause: "pause"
        case .wantToSpeak: "to speak"
        case .ok: "ok"
        }
    }
}
