import RoomCore
import RoomProtocol

/// Readable one-line descriptions of server messages, for line mode, screen
/// readers and the message pane. `model` is the view model after the message.
public enum EventText {
    /// The lines to show for `message`, or none (acks, silent updates). Every line is
    /// safe to print: text from other people cannot move the cursor, send escapes or
    /// reorder the line (``Swift/String/safeForTerminal``), and cannot start a line of
    /// its own: a newline in it continues the line under ``continuation``.
    public static func lines(for message: ServerMessage, in model: RoomViewModel) -> [String] {
        rawLines(for: message, in: model).flatMap(continued).map(\.safeForTerminal)
    }

    /// The mark that starts each further line of a text that holds newlines, so a
    /// message cannot forge a line of its own (`[13] Dana [facilitator]: …`).
    public static let continuation = "  | "

    /// `line` split at its newlines, every piece after the first marked as a continuation.
    static func continued(_ line: String) -> [String] {
        line.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, piece in
            index == 0 ? String(piece) : continuation + piece
        }
    }

    static func rawLines(for message: ServerMessage, in model: RoomViewModel) -> [String] {
        switch message {
        case .welcome(_, let alias, let role, _, let title):
            return [
                "Welcome, \(alias). You are in “\(title)” as \(role == .facilitator ? "a facilitator" : "a participant")."
            ]
        case .ack, .activities: return []
        case .schedule(let notice):
            return [ScheduleText.arrival(notice, in: .current)] + [ScheduleText.agenda(notice)].compactMap { $0 }
        case .sessionReminder(let notice): return [ScheduleText.reminder(notice, in: .current)]
        case .expected(let expected): return [ScheduleText.expected(expected)]
        case .error(let code, let message, _): return ["! \(message) (\(code))"]
        case .goingAway(let reason): return ["The server is restarting (\(reason)); iop will reconnect."]
        case .event(_, let time, .idleWarning(let logoffAt)):
            return [idleWarning(minutesLeft: (logoffAt.millisecondsSinceEpoch - time + 59_999) / 60_000)]
        case .event(_, let time, .breakout(let status)): return breakoutLines(status, now: time, model)
        case .event(_, _, let event): return lines(for: event, in: model)
        }
    }

    /// The idle warning: how long is left and how to stay.
    static func idleWarning(minutesLeft: Int64?) -> String {
        let when = minutesLeft.map { max(1, $0) }.map { "in \($0) minute\($0 == 1 ? "" : "s")" } ?? "soon"
        return "Are you still there? Nothing has been sent from this device for a while. You will be logged off "
            + "\(when) unless you send something: type /back to stay."
    }

    /// The lines to show for one room event.
    public static func lines(for event: RoomEvent, in model: RoomViewModel) -> [String] {
        switch event {
        case .agreementRequired(let agreement):
            let text = agreement.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            return ["Group agreement (version \(agreement.version)):"] + text + [
                "Type /accept to accept it, or /quit to leave."
            ]
        case .waitingForAdmission: return ["You are in the waiting room. A facilitator will let you in soon."]
        case .waitingRoom(let entries):
            return ["Waiting: " + (entries.isEmpty ? "nobody" : entries.map(\.alias).joined(separator: ", "))]
        case .snapshot(let snapshot):
            let people = snapshot.roster.entries.map(\.alias).joined(separator: ", ")
            return ["You are in the room “\(snapshot.title)”. Here: \(people)."]
        case .backlog(let messages): return messages.map { message(($0), model) }
        case .roster(let roster):
            return model.notices + [
                "Here: " + roster.entries.map { entry($0, floor: roster.floor) }.joined(separator: ", ")
            ]
        case .lockChanged(let locked):
            return [locked ? "The room is locked to newcomers." : "The room is open to newcomers."]
        case .chatPauseChanged(let paused): return [paused ? "Group chat is paused." : "Group chat resumed."]
        case .message(let chat): return [message(chat, model)]
        case .messageRemoved(let removal): return ["(message \(removal.message) was \(removal.reason.rawValue))"]
        default: return activity(event, model)
        }
    }

    static func activity(_ event: RoomEvent, _ model: RoomViewModel) -> [String] {
        switch event {
        case .checkInStarted(let round):
            let fields = round.template.fields.map(\.prompt).joined(separator: "; ")
            return ["Check-in: \(round.template.title) — \(fields). Answer with /answer, or /pass."]
        case .checkInResponse(let response):
            switch response.outcome {
            case .passed: return ["Check-in: \(response.alias) passed."]
            case .answered(let answer):
                let values = answer.values.sorted { $0.key < $1.key }.map { "\($0.key) \(value($0.value))" }
                return ["Check-in: \(response.alias): \(values.joined(separator: ", "))"]
            }
        case .checkInProgress(let progress):
            return [
                "Check-in progress: \(progress.answered.count) answered, \(progress.passed.count) passed, \(progress.pending.count) yet to answer."
            ]
        case .checkInClosed(let summary):
            return [
                "Check-in closed: \(summary.answeredCount) answered, \(summary.passedCount) passed, \(summary.noResponseCount) no answer."
            ]
        case .exercise(let status):
            guard let phase = status.phases.first(where: { $0.index == status.currentPhase }) ?? status.phases.first
            else { return [] }
            let state = status.paused ? " (paused)" : ""
            return ["Exercise \(status.name): \(phase.name) — \(phase.prompt) [\(seconds(phase.duration)) s]\(state)"]
        case .exerciseEnded(let end): return ["Exercise \(end.reason == .completed ? "finished" : "stopped")."]
        case .crisisAlertRaised(let alert):
            let again = alert.repeats > 0 ? ", raised \(alert.repeats + 1) times" : ""
            return [
                "!!! CRISIS ALERT from \(alert.alias) (alert \(alert.id)\(again)) — respond now; /ack to acknowledge."
            ]
        case .crisisAlertReceived(_, let notified):
            return notified > 0
                ? [
                    "Your alert reached \(notified) facilitator\(notified == 1 ? "" : "s"). Someone will be with you shortly."
                ]
                : [
                    "No facilitator is connected yet; your alert waits for the first one. If you are in danger, call your local emergency number now."
                ]
        case .crisisAlertAcknowledged(let ack): return ["Crisis alert \(ack.id) acknowledged by \(ack.byAlias)."]
        case .agenda(let item): return [item.map { "Agenda: \($0.name)" } ?? "Agenda cleared."]
        case .agendaTimeUp(let item): return ["Agenda: time is up for \(item.name)."]
        case .sideRoomOpened(let room):
            return ["Side room opened: \(room.participantAlias) with \(room.facilitatorAlias)."]
        case .sideRoomClosed(let room): return ["Side room closed: \(room.participantAlias) is back with the group."]
        case .sessionEnded: return ["The session has ended. Thank you for being here."]
        case .idleWarning: return [idleWarning(minutesLeft: nil)]
        case .breakout(let status): return breakoutLines(status, now: nil, model)
        case .breakoutEnded(let end): return [breakoutEndedLine(end)]
        case .absenceRecorded(let record): return [ScheduleText.absence(record)]
        default: return cardLines(event, model) ?? toolkitLines(event, model)
        }
    }

    /// `[12] River: text` or `[13] Dana [facilitator]: text`: the speaker's role on
    /// every chat line, with the scope when it is not the group.
    public static func message(_ message: ChatMessage, _ model: RoomViewModel) -> String {
        let scope: String
        switch message.scope {
        case .group: scope = ""
        case .toFacilitators: scope = " → facilitators"
        case .direct(let to): scope = " → \(plain(model.alias(of: to)))"
        case .backChannel: scope = " (back channel)"
        case .sideRoom: scope = " (side room)"
        case .breakout(let group): scope = " (group \(group))"
        case .breakoutBroadcast: scope = " → all groups"
        }
        return "[\(message.id)] \(speaker(message.alias, message.role))\(scope): \(message.text.revealed)"
    }

    /// The role marker after a facilitator's alias in a chat line.
    public static let facilitatorMarker = " [facilitator]"

    /// An alias as a chat line names its speaker: a facilitator's followed by
    /// ``facilitatorMarker``, a participant's alone. Square brackets belong to the
    /// marker, so any in the alias itself (the server refuses them) show as parentheses.
    public static func speaker(_ alias: String, _ role: Role) -> String {
        switch role {
        case .facilitator: plain(alias) + facilitatorMarker
        case .participant: plain(alias)
        }
    }

    /// `alias` with `[` and `]` shown as `(` and `)`: square brackets on screen are
    /// iop's own marks (roles, hands, presence), never part of a name.
    public static func plain(_ alias: String) -> String {
        String(alias.map { $0 == "[" ? "(" : $0 == "]" ? ")" : $0 })
    }

    /// A roster entry: alias, role, hand place, floor, muted, presence.
    public static func entry(_ entry: RosterEntry, floor: MemberID?) -> String {
        var marks: [String] = []
        if entry.role == .facilitator { marks.append("facilitator") }
        if let place = entry.queuePosition { marks.append("hand #\(place)") }
        if entry.member == floor { marks.append("has the floor") }
        if entry.muted { marks.append("muted") }
        if entry.presence != .here {
            marks.append(entry.presence == .inSideRoom ? "in side room" : entry.presence.rawValue)
        }
        return marks.isEmpty ? entry.alias : "\(entry.alias) (\(marks.joined(separator: ", ")))"
    }

    static func value(_ value: CheckInValue) -> String {
        switch value {
        case .score(let score): "\(score)"
        case .text(let text): text.revealed
        }
    }

    static func seconds(_ duration: Duration) -> Int64 { (duration.milliseconds + 999) / 1000 }
}
