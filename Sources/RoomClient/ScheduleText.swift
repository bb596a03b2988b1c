import Foundation
import RoomCore
import RoomProtocol

/// The program schedule's lines, with the session's times in the member's
/// own time zone (the server sends instants; the clinic's zone may differ).
public enum ScheduleText {
    /// What a member is told on arrival in a room with a schedule.
    static func arrival(_ notice: SessionSchedule, in zone: TimeZone) -> String {
        guard let session = notice.session else { return "This program has no more scheduled sessions." }
        let start = time(session.startsAt, zone)
        let end = time(session.endsAt, zone)
        if notice.waitingRoomOpen {
            return "Today's session: \(start)–\(end) (your time)."
        }
        return "The next session is \(day(session.startsAt, zone)): the waiting room opens at "
            + "\(time(session.opensAt, zone)) and the group runs \(start)–\(end) (your time). "
            + "You may stay connected until then."
    }

    /// The session's agenda in one line (`Agenda: Check-in (20 min) · Skills (60 min)`), nil without one.
    static func agenda(_ notice: SessionSchedule) -> String? {
        guard !notice.agenda.isEmpty else { return nil }
        return "Agenda: " + notice.agenda.map { "\($0.title) (\(minutes($0.durationMs)) min)" }.joined(separator: " · ")
    }

    /// Whole minutes, rounded up.
    static func minutes(_ milliseconds: Int64) -> Int64 { (milliseconds + 59_999) / 60_000 }

    /// For the side panel: the session's day and times in `zone` (`Mon 9 Mar`, `18:00–21:00`),
    /// and whether its waiting room is open; nil once the program is over.
    public static func panel(_ notice: SessionSchedule, in zone: TimeZone) -> (day: String, times: String, open: Bool)?
    {
        guard let session = notice.session else { return nil }
        return (
            format(session.startsAt, zone, "EEE d MMM"),
            "\(time(session.startsAt, zone))–\(time(session.endsAt, zone))", notice.waitingRoomOpen
        )
    }

    /// For the side panel: each agenda item as `Check-in 20m`.
    public static func panelAgenda(_ notice: SessionSchedule) -> [String] {
        notice.agenda.map { "\($0.title) \(minutes($0.durationMs))m" }
    }

    /// The facilitators' reminder before the scheduled end.
    static func reminder(_ notice: SessionSchedule, in zone: TimeZone) -> String {
        guard let session = notice.session else { return "Reminder: the scheduled session is ending." }
        return "Reminder: this session is scheduled to end at \(time(session.endsAt, zone)) (your time)."
    }

    /// Facilitators: who of the expected members is not here yet.
    static func expected(_ expected: ExpectedMembers) -> String {
        let missing = expected.missing.map(\.rawValue)
        let here = expected.members.count - missing.count
        guard !missing.isEmpty else { return "All \(expected.members.count) expected members are here." }
        return "Expected and not here yet (\(here) of \(expected.members.count) here): "
            + missing.joined(separator: ", ")
    }

    /// Facilitators: an absence reason recorded or cleared (member ids, as on the roster).
    static func absence(_ record: AbsenceRecord) -> String {
        let entry = record.entry
        guard let reason = entry.reason else {
            return "Absence reason cleared: \(entry.member.rawValue) at \(entry.session)."
        }
        return "Absence recorded: \(entry.member.rawValue) at \(entry.session): \(reason.rawValue)."
    }

    /// `18:00` in `zone`.
    static func time(_ instant: Timestamp, _ zone: TimeZone) -> String {
        format(instant, zone, "HH:mm")
    }

    /// `Wednesday 11 March` in `zone`.
    static func day(_ instant: Timestamp, _ zone: TimeZone) -> String {
        format(instant, zone, "EEEE d MMMM")
    }

    private static func format(_ instant: Timestamp, _ zone: TimeZone, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000))
    }
}
