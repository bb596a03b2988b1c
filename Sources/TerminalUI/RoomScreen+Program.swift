import Foundation
import RoomClient
import RoomCore

extension RoomScreen {
    /// A participant's side panel lines of the program: the next (or current)
    /// session's day and times in the member's own time zone, and the room's
    /// agenda when it has one. Nothing in a room without a schedule.
    static func schedulePanel(_ state: ScreenState) -> [(String, CellStyle)] {
        guard state.model.role == .participant, let notice = state.model.schedule else { return [] }
        guard let session = ScheduleText.panel(notice, in: state.timeZone) else {
            return [("Program over", Styles.title), ("", .plain)]
        }
        var lines: [(String, CellStyle)] = [
            (session.open ? "This session" : "Next session", Styles.title),
            ("  \(session.day) \(session.times)", .plain),
            ("  (your time)", Styles.dim),
        ]
        let agenda = ScheduleText.panelAgenda(notice)
        if !agenda.isEmpty {
            lines.append(("Agenda", Styles.title))
            lines += agenda.map { ("  " + EventText.plain($0), .plain) }
        }
        lines.append(("", .plain))
        return lines
    }

    /// A facilitator's roster lines for the members the program expects at the
    /// open session and who are not here: their ids, marked `expected`, or
    /// `absent: excused` once a reason is recorded (`/absent`).
    static func expectedPanel(_ model: RoomViewModel) -> [(String, CellStyle)] {
        guard model.role == .facilitator, let expected = model.expected else { return [] }
        let missing = expected.missing
        guard !missing.isEmpty else { return [] }
        let reasons = model.absences[expected.session] ?? [:]
        return [("Not here (\(missing.count) of \(expected.members.count))", Styles.title)]
            + missing.map { member in
                let mark = reasons[member].map { "absent: \($0.rawValue)" } ?? "expected"
                return ("  \(EventText.plain(member.rawValue)) [\(mark)]", Styles.dim)
            }
    }
}
