import Foundation

/// Which table of the report a CSV holds (a CSV file is one table).
public enum AttendanceTable: String, Sendable, CaseIterable {
    /// One row per member per session.
    case sessions
    /// One row per member per day attended.
    case days
    /// One row per member per ISO week.
    case weeks
}

extension AttendanceReport {
    /// One table as RFC 4180 CSV: a header line, CRLF line ends, fields with
    /// commas, quotes or line breaks quoted (yaslab/CSV.swift's writer).
    /// Times are ISO 8601 in the report's time zone; empty means "none" or "still open".
    public func csv(_ table: AttendanceTable) throws -> String {
        try TableOutput.csv(header: header(table), rows: rows(table))
    }

    /// The whole report as one JSON object: `rules`, `period`, `sessions`, `days`, `weeks`.
    public func json() throws -> String {
        func table(_ table: AttendanceTable) -> [[String: Any]] {
            TableOutput.objects(header: header(table), rows: rows(table), typed: typed)
        }
        let object: [String: Any] = [
            "rules": [
                "minimum_hours_per_day": rules.minimumHoursPerDay, "minimum_days_per_week": rules.minimumDaysPerWeek,
                "time_zone": rules.timeZoneName,
            ],
            "period": ["from": period.from.description, "to": period.to.description],
            "sessions": table(.sessions), "days": table(.days), "weeks": table(.weeks),
        ]
        return try TableOutput.json(object)
    }

    /// Column names of `table`.
    public func header(_ table: AttendanceTable) -> [String] {
        switch table {
        case .sessions:
            [
                "room", "session_id", "session_start", "session_end", "session_end_reason", "member", "role",
                "consent_version", "consented_at", "admitted_at", "first_joined", "last_left", "minutes_attended",
                "minutes_stepped_out", "minutes_disconnected", "end_reason",
            ]
        case .days: ["member", "role", "date", "iso_week", "hours_attended", "below_minimum_hours"]
        case .weeks:
            [
                "member", "role", "iso_week", "partial_week", "days_attended", "days_meeting_minimum",
                "hours_attended", "below_minimum_days",
            ]
        }
    }

    /// Rows of `table` as text fields, in the order of ``header(_:)``.
    public func rows(_ table: AttendanceTable) -> [[String]] {
        let time = TimeFormat(rules.timeZone)
        switch table {
        case .sessions:
            return sessions.map {
                [
                    $0.room, "\($0.sessionID)", time($0.sessionStart), time($0.sessionEnd), $0.sessionEndReason ?? "",
                    $0.member, $0.role, $0.consentVersion ?? "", time($0.consentedAt), time($0.admittedAt),
                    time($0.firstJoined), time($0.lastLeft), "\($0.attendedMinutes)", "\($0.steppedOutMinutes)",
                    "\($0.disconnectedMinutes)", $0.endReason ?? "",
                ]
            }
        case .days:
            return days.map {
                [
                    $0.member, $0.role, $0.day.description, $0.week.description, Self.hours($0.hours),
                    "\($0.belowMinimumHours)",
                ]
            }
        case .weeks:
            return weeks.map {
                [
                    $0.member, $0.role, $0.week.description, "\($0.partial)", "\($0.daysAttended)",
                    "\($0.daysMeetingMinimum)", Self.hours($0.hours), "\($0.belowMinimumDays)",
                ]
            }
        }
    }

    /// Hours with two decimals, rounded down like the minutes (`2.99`, never a `3.00` that is flagged short).
    static func hours(_ value: Double) -> String {
        let hundredths = Int64((value * 100 + 1e-9).rounded(.down))
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// JSON values keep their type: numbers, booleans, `null` for an empty field.
    private func typed(_ column: String, _ field: String) -> Any {
        if field.isEmpty { return NSNull() }
        if field == "true" || field == "false" { return field == "true" }
        if column == "session_id" || column.hasPrefix("minutes_") || column.hasPrefix("days_") {
            return Int64(field) ?? field
        }
        if column == "hours_attended" { return Double(field) ?? field }
        return field
    }
}

/// ISO 8601 instants in one time zone, `2026-11-24T09:00:00Z` or `...+01:00`.
private struct TimeFormat {
    private let formatter: ISO8601DateFormatter

    init(_ zone: TimeZone) {
        formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
    }

    func callAsFunction(_ instant: Int64?) -> String {
        guard let instant else { return "" }
        return formatter.string(from: CalendarDay.date(instant))
    }
}
