import Foundation
import GRDB

extension AttendanceReport.Input {
    /// Reads the sessions of `room` that started within `period` (in `rules`'
    /// time zone) and their attendance events from `records.sqlite` at `path`.
    /// The file is opened read-only, so this works while `iopd` writes to it (WAL).
    public static func read(
        databaseAt path: String, room: String, period: AttendancePeriod, rules: AttendanceRules
    ) throws -> Self {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? database.close() }
        let bounds = period.bounds(in: rules.calendar)
        return try database.read { db in
            let sessions = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, room, started_at, ended_at, end_reason FROM sessions
                    WHERE room = ? AND started_at >= ? AND started_at < ? ORDER BY id
                    """,
                arguments: [room, bounds.start, bounds.end]
            ).map {
                AttendanceReport.SessionRow(
                    id: $0["id"], room: $0["room"], startedAt: $0["started_at"], endedAt: $0["ended_at"],
                    endReason: $0["end_reason"])
            }
            guard let first = sessions.first?.id, let last = sessions.last?.id else {
                return Self(sessions: [], events: [])
            }
            let events = try Row.fetchAll(
                db,
                sql: """
                    SELECT e.id, e.session_id, e.member, e.role, e.event, e.detail, e.at
                    FROM attendance_events e JOIN sessions s ON s.id = e.session_id
                    WHERE s.room = ? AND e.session_id BETWEEN ? AND ? AND s.started_at >= ? AND s.started_at < ?
                    ORDER BY e.id
                    """,
                arguments: [room, first, last, bounds.start, bounds.end]
            ).map {
                AttendanceReport.EventRow(
                    sequence: $0["id"], sessionID: $0["session_id"], member: $0["member"], role: $0["role"],
                    event: $0["event"], detail: $0["detail"], at: $0["at"])
            }
            return Self(sessions: sessions, events: events)
        }
    }
}
