import GRDB
import RoomCore

/// Turns RoomCore's records into rows, inside one write transaction. Only
/// ids, roles, enum codes, versions, numbers and times are written: RoomCore's
/// records carry no content and no alias, and none is added here.
/// One writer per database, used by one thread at a time; it remembers the
/// chains' last hashes (``RecordChain/Tails``) and each room's latest session,
/// so a row costs no read-back (it is the tables' only writer).
struct RecordWriter {
    /// The end reason written when the server stopped with members present.
    static let serverStopped = "server_stopped"
    /// The end reason of a session a facilitator ended.
    static let sessionEnded = "session_ended"

    /// A room's latest session as written: its id, and its end reason once ended.
    private struct LatestSession {
        var id: Int64
        var ended: Bool
        var endReason: String?
    }

    private var tails = RecordChain.Tails()
    private var latestSessions: [String: LatestSession] = [:]

    /// Forgets what was remembered of the database: after a failed transaction.
    mutating func forget() {
        tails = RecordChain.Tails()
        latestSessions = [:]
    }

    /// Writes one record of `room`.
    mutating func write(_ record: RoomCore.Record, room: String, in db: Database) throws {
        switch record {
        case .attendance(let attendance):
            let leaving = if case .left = attendance.event { true } else { false }
            let session = try sessionID(room: room, at: attendance.at, continuingEnded: leaving, in: db)
            try write(attendance, session: session, room: room, in: db)
        case .moderation(let audit):
            let session = try sessionID(room: room, at: audit.at, continuingEnded: false, in: db)
            try RecordChain.append(
                RecordChain.moderation,
                [
                    session, room, audit.actor?.rawValue, Self.snakeCase(audit.action.rawValue), audit.target?.rawValue,
                    audit.message.map { Int64(bitPattern: $0.rawValue) },
                    audit.alert.map { Int64(bitPattern: $0.rawValue) },
                    audit.at.millisecondsSinceEpoch,
                ], tails: &tails, in: db)
            if audit.action == .sessionEnded {
                try db.executeCached(
                    sql:
                        "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ? AND ended_at IS NULL",
                    arguments: [audit.at.millisecondsSinceEpoch, Self.sessionEnded, session])
                if var latest = latestSessions[room], latest.id == session, !latest.ended {
                    latest.ended = true
                    latest.endReason = Self.sessionEnded
                    latestSessions[room] = latest
                }
            }
        case .checkInScore(let score):
            let session = try sessionID(room: room, at: score.at, continuingEnded: false, in: db)
            try db.executeCached(
                sql: """
                    INSERT INTO checkin_scores (session_id, room, member, template, field, score, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session, room, score.member.rawValue, score.template, score.field, score.score,
                    score.at.millisecondsSinceEpoch,
                ])
        case .absence(let absence):
            try write(absence, room: room, in: db)
        }
    }

    /// The room's current session; a new one when there is none, or when the
    /// last one ended (except for the departures that follow its end).
    private mutating func sessionID(room: String, at time: Timestamp, continuingEnded: Bool, in db: Database) throws
        -> Int64
    {
        if let latest = try latestSession(of: room, in: db),
            !latest.ended || (continuingEnded && latest.endReason != Self.serverStopped)
        {
            return latest.id
        }
        try db.executeCached(
            sql: "INSERT INTO sessions (room, started_at) VALUES (?, ?)",
            arguments: [room, time.millisecondsSinceEpoch])
        latestSessions[room] = LatestSession(id: db.lastInsertedRowID, ended: false)
        return db.lastInsertedRowID
    }

    private mutating func latestSession(of room: String, in db: Database) throws -> LatestSession? {
        if let known = latestSessions[room] { return known }
        let latest = try db.cachedStatement(
            sql: "SELECT id, ended_at, end_reason FROM sessions WHERE room = ? ORDER BY id DESC LIMIT 1")
        guard let row = try Row.fetchOne(latest, arguments: [room]) else { return nil }
        let found = LatestSession(
            id: row["id"], ended: (row["ended_at"] as Int64?) != nil, endReason: row["end_reason"])
        latestSessions[room] = found
        return found
    }

    private mutating func write(_ record: AttendanceRecord, session: Int64, room: String, in db: Database) throws {
        let member = record.member.rawValue
        let at = record.at.millisecondsSinceEpoch
        let (event, detail) = Self.describe(record.event)
        try RecordChain.append(
            RecordChain.attendance, [session, room, member, record.role.rawValue, event, detail, at],
            tails: &tails, in: db)
        let open = "session_id = ? AND member = ? AND left_at IS NULL"
        switch record.event {
        case .connected:
            try db.executeCached(
                sql: """
                    INSERT INTO attendance (session_id, room, member, role, joined_at)
                    SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS
                    (SELECT 1 FROM attendance WHERE session_id = ?1 AND member = ?3 AND left_at IS NULL)
                    """,
                arguments: [session, room, member, record.role.rawValue, at])
        case .consented(let version):
            try db.executeCached(
                sql: "UPDATE attendance SET consent_version = ?, consented_at = ? WHERE \(open)",
                arguments: [version, at, session, member])
        case .admitted(let by):
            try db.executeCached(
                sql: "UPDATE attendance SET admitted_at = ?, admitted_by = ? WHERE \(open)",
                arguments: [at, by?.rawValue, session, member])
        case .left:
            try db.executeCached(
                sql: "UPDATE attendance SET left_at = ?, end_reason = ? WHERE \(open)",
                arguments: [at, detail, session, member])
        default:
            break
        }
    }

    /// The event code and its detail (a version, a member id or a reason code).
    static func describe(_ event: AttendanceEvent) -> (String, String?) {
        switch event {
        case .connected: ("connected", nil)
        case .consented(let version): ("consented", version)
        case .admitted(let by): ("admitted", by?.rawValue)
        case .steppedOut: ("stepped_out", nil)
        case .steppedBack: ("stepped_back", nil)
        case .connectionLost: ("connection_lost", nil)
        case .resumed: ("resumed", nil)
        case .enteredSideRoom: ("entered_side_room", nil)
        case .leftSideRoom: ("left_side_room", nil)
        case .left(let reason): ("left", snakeCase(reason.rawValue))
        }
    }

    /// `closedByClient` → `closed_by_client`.
    static func snakeCase(_ name: String) -> String {
        var result = ""
        for character in name {
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Closes every open stay and session with `server_stopped`. A stay ends
    /// at `stayEnd(session)` and gets a chained `left` event; a session ends at
    /// its last record (those `left` events included).
    mutating func closeOpen(stayEnd: (Int64) throws -> Int64, in db: Database) throws {
        let stays = try Row.fetchAll(
            db,
            sql:
                "SELECT id, session_id, room, member, role, joined_at FROM attendance WHERE left_at IS NULL ORDER BY id"
        )
        for stay in stays {
            let session: Int64 = stay["session_id"]
            let at = max(try stayEnd(session), stay["joined_at"] as Int64)
            let values: [DatabaseValueConvertible?] = [
                session, stay["room"] as String, stay["member"] as String, stay["role"] as String, "left",
                Self.serverStopped, at,
            ]
            try RecordChain.append(RecordChain.attendance, values, tails: &tails, in: db)
            try db.executeCached(
                sql: "UPDATE attendance SET left_at = ?, end_reason = ? WHERE id = ?",
                arguments: [at, Self.serverStopped, stay["id"] as Int64])
        }
        latestSessions = [:]  // every open session ends below
        for id in try Int64.fetchAll(db, sql: "SELECT id FROM sessions WHERE ended_at IS NULL") {
            try db.executeCached(
                sql: "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?",
                arguments: [try Self.lastRecord(session: id, in: db), Self.serverStopped, id])
        }
    }

    /// The time of a session's last record (its start if it has none).
    static func lastRecord(session: Int64, in db: Database) throws -> Int64 {
        try Int64.fetchOne(
            db,
            sql: """
                SELECT MAX(at) FROM (
                    SELECT MAX(at) AS at FROM attendance_events WHERE session_id = ?1
                    UNION ALL SELECT MAX(at) FROM moderation_audit WHERE session_id = ?1
                    UNION ALL SELECT MAX(at) FROM checkin_scores WHERE session_id = ?1
                    UNION ALL SELECT started_at FROM sessions WHERE id = ?1)
                """,
            arguments: [session]) ?? 0
    }
}
