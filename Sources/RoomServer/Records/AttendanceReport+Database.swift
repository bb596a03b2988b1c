import Foundation

extension AttendanceReport.Input {
    /// Reads the sessions of `room` that started within `period` (in `rules'`
    /// time zone) and their attendance events from the records at `location`,
    /// opened for reading (fine while `iopd` writes to it).
    public static func read(
        from location: RecordsLocation, room: String, period: AttendancePeriod, rules: AttendanceRules
    ) throws -> Self {
        let database = try location.openForReading()
        defer { try? database.close() }
        return try database.transaction { try read($0, room: room, period: period, rules: rules) }
    }

    /// The same, in an open session.
    static func read(
        _ session: any RecordSession, room: String, period: AttendancePeriod, rules: AttendanceRules
    ) throws -> Self {
        let bounds = period.bounds(in: rules.calendar)
        let sessions = try session.query(
            """
            SELECT id, room, started_at, ended_at, end_reason FROM sessions
            WHERE room = $1 AND started_at >= $2 AND started_at < $3 ORDER BY id
            """, room, bounds.start, bounds.end
        ).map {
            AttendanceReport.SessionRow(
                id: try $0.integer("id"), room: try $0.text("room"), startedAt: try $0.integer("started_at"),
                endedAt: $0["ended_at"].integer, endReason: $0["end_reason"].text)
        }
        guard let first = sessions.first?.id, let last = sessions.last?.id else {
            return Self(sessions: [], events: [])
        }
        let events = try session.query(
            """
            SELECT e.id, e.session_id, e.member, e.role, e.event, e.detail, e.at
            FROM attendance_events e JOIN sessions s ON s.id = e.session_id
            WHERE s.room = $1 AND e.session_id BETWEEN $2 AND $3 AND s.started_at >= $4 AND s.started_at < $5
            ORDER BY e.id
            """, room, first, last, bounds.start, bounds.end
        ).map {
            AttendanceReport.EventRow(
                sequence: try $0.integer("id"), sessionID: try $0.integer("session_id"), member: try $0.text("member"),
                role: try $0.text("role"), event: try $0.text("event"), detail: $0["detail"].text,
                at: try $0.integer("at"))
        }
        return Self(sessions: sessions, events: events)
    }
}
