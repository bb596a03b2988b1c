import Foundation
import ProgramCore

/// Which table of the against-plan export a CSV holds.
public enum PlanTable: String, Sendable, CaseIterable {
    /// One row per expected member per scheduled session.
    case sessions
    /// One row per member per ISO week of the program.
    case weeks
    /// One row per roster member: the program so far.
    case members
}

extension PlanExport {
    /// One table as RFC 4180 CSV (header line, CRLF line ends), as the plain export writes.
    /// Times are ISO 8601 in the schedule's time zone; an empty field means "none".
    public func csv(_ table: PlanTable) throws -> String {
        try TableOutput.csv(header: header(table), rows: rows(table))
    }

    /// The whole export as one JSON object: `room`, `time_zone`, `period`, `rules`, `sessions`, `weeks`, `members`.
    public func json() throws -> String {
        func table(_ table: PlanTable) -> [[String: Any]] {
            TableOutput.objects(header: header(table), rows: rows(table), typed: Self.typed)
        }
        let rules = plan.rules
        let object: [String: Any] = [
            "room": room, "time_zone": schedule.timeZone.identifier,
            "period": ["from": from.description, "to": to.description],
            "rules": [
                "late_grace_minutes": rules.lateGraceMinutes, "early_leave_grace_minutes": rules.earlyLeaveGraceMinutes,
                "present_minimum_minutes": rules.presentMinimumMinutes,
                "overrun_limit_minutes": rules.overrunLimitMinutes,
                "minimum_weekly_hours": rules.minimumWeeklyHours, "maximum_weekly_hours": rules.maximumWeeklyHours,
            ],
            "sessions": table(.sessions), "weeks": table(.weeks), "members": table(.members),
        ]
        return try TableOutput.json(object)
    }

    /// Column names of `table`.
    public func header(_ table: PlanTable) -> [String] {
        let absences = ["absences_excused", "absences_unexcused", "absences_rescheduled", "absences_unrecorded"]
        let totals =
            [
                "sessions_expected", "sessions_attended", "days_attended", "minutes_scheduled", "minutes_attended",
                "hours_attended", "late_arrivals", "early_leaves", "minutes_away",
            ] + absences
        switch table {
        case .sessions:
            return [
                "room", "session", "date", "scheduled_start", "scheduled_end", "moved_from", "member", "status",
                "first_joined", "last_left", "minutes_scheduled", "minutes_attended", "minutes_late",
                "minutes_left_early", "minutes_away",
            ]
        case .weeks:
            return ["room", "member", "iso_week", "week_start"] + totals + [
                "below_minimum_hours", "above_maximum_hours",
            ]
        case .members:
            return ["room", "member", "enrolled", "discharged"] + totals + [
                "attendance_percent", "weeks", "weeks_below_minimum_hours",
            ]
        }
    }

    /// Rows of `table` as text fields, in the order of ``header(_:)``.
    public func rows(_ table: PlanTable) -> [[String]] {
        let zone = schedule.timeZone
        let time = { (instant: Instant?) in instant.map(zone.iso8601) ?? "" }
        switch table {
        case .sessions:
            return plan.sessions.map {
                let session = $0.occurrence
                return [
                    room, session.id, session.date.description, time(session.start), time(session.end),
                    session.movedFrom?.description ?? "", $0.member, $0.status.code, time($0.firstJoined),
                    time($0.lastLeft), "\(session.scheduledMinutes)", "\($0.attendedMinutes)", "\($0.lateMinutes)",
                    "\($0.earlyLeaveMinutes)", "\($0.awayMinutes)",
                ]
            }
        case .weeks:
            return plan.weeks.map {
                [room, $0.member, $0.isoWeek, $0.weekStart.description] + Self.fields($0.totals) + [
                    "\($0.belowMinimumHours)", "\($0.aboveMaximumHours)",
                ]
            }
        case .members:
            return plan.members.map {
                [room, $0.member, $0.enrolment.enrolled.description, $0.enrolment.discharged?.description ?? ""]
                    + Self.fields($0.totals) + [
                        "\($0.attendancePercent)", "\($0.weeks)", "\($0.weeksBelowMinimumHours)",
                    ]
            }
        }
    }

    private static func fields(_ totals: AttendanceTotals) -> [String] {
        let absences = totals.absences
        return [
            "\(totals.sessionsExpected)", "\(totals.sessionsAttended)", "\(totals.daysAttended)",
            "\(totals.scheduledMinutes)", "\(totals.attendedMinutes)",
            AttendanceReport.hours(Double(totals.attendedMinutes) / 60), "\(totals.lateArrivals)",
            "\(totals.earlyLeaves)", "\(totals.awayMinutes)", "\(absences.excused)", "\(absences.unexcused)",
            "\(absences.rescheduled)", "\(absences.unrecorded)",
        ]
    }

    /// JSON keeps types: numbers, booleans, `null` for an empty field.
    private static func typed(_ column: String, _ field: String) -> Any {
        if field.isEmpty { return NSNull() }
        if field == "true" || field == "false" { return field == "true" }
        if column == "hours_attended" { return Double(field) ?? field }
        let counts = ["minutes_", "sessions_", "days_", "absences_", "late_", "early_", "weeks", "attendance_"]
        if counts.contains(where: column.hasPrefix) { return Int(field) ?? field }
        return field
    }
}
