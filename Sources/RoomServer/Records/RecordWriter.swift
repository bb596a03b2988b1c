import RoomCore

/// Turns RoomCore's records into rows, inside one write transaction. Only
/// ids, roles, enum codes, versions, numbers and times are written: RoomCore's
/// records carry no content and no alias, and none is added here.
/// One writer per database, used by one thread at a time; on a database it
/// writes alone (SQLite) it remembers the chains' last hashes
/// (``RecordChain/Tails``) and each room's latest session, so a row costs no
/// read-back; on a shared one (PostgreSQL) it reads them again in every
/// transaction. The sessions and stays it opens carry its node id.
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

    var tails = RecordChain.Tails()
    private var latestSessions: [String: LatestSession] = [:]
    /// This server's node id (`server.nodeId`), written on the sessions and stays it opens.
    let node: String
    /// Whether this server writes the database alone (``SQLDialect/isExclusive``).
    let exclusive: Bool

    /// A writer for server `node`; `exclusive` when no other server writes the database.
    init(node: String, exclusive: Bool) {
        self.node = node
        self.exclusive = exclusive
    }

    /// Called at the start of every write transaction: on a shared database,
    /// what another server may have appended since is read again.
    mutating func beginTransaction() {
        if !exclusive { forget() }
    }

    /// Forgets what was remembered of the database: after a failed transaction.
    mutating func forget() {
        tails = RecordChain.Tails()
        latestSessions = [:]
    }

    /// Writes one record of `room`.
    mutating func write(_ record: RoomCore.Record, room: String, in db: any RecordSession) throws {
        switch record {
        case .attendance(let attendance):
            let leaving = if case .left = attendance.event { true } else { false }
            let session = try sessionID(room: room, at: attendance.at, continuingEnded: leaving, in: db)
            try write(attendance, session: session, room: room, in: db)
        case .moderation(let audit):
            let session = try sessionID(room: room, at: audit.at, continuingEnded: false, in: db)
            let values: [any SQLBindable] = [
                session, room, audit.actor?.rawValue, Self.snakeCase(audit.action.rawValue), audit.target?.rawValue,
                audit.message.map { Int64(bitPattern: $0.rawValue) },
                audit.alert.map { Int64(bitPattern: $0.rawValue) },
                audit.at.millisecondsSinceEpoch,
            ]
            try RecordChain.append(RecordChain.moderation, values.map(\.sqlValue), tails: &tails, in: db)
            if audit.action == .sessionEnded {
                try db.execute(
                    "UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE id = $3 AND ended_at IS NULL",
                    audit.at.millisecondsSinceEpoch, Self.sessionEnded, session)
                if var latest = latestSessions[room], latest.id == session, !latest.ended {
                    latest.ended = true
                    latest.endReason = Self.sessionEnded
                    latestSessions[room] = latest
                }
            }
        case .checkInScore(let score):
            let session = try sessionID(room: room, at: score.at, continuingEnded: false, in: db)
            try db.execute(
                """
                INSERT INTO checkin_scores (session_id, room, member, template, field, score, at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, session, room, score.member.rawValue, score.template, score.field, score.score,
                score.at.millisecondsSinceEpoch)
        case .absence(let absence):
            try write(absence, room: room, in: db)
        }
    }

    /// The room's current session; a new one when there is none, or when the
    /// last one ended (except for the departures that follow its end).
    private mutating func sessionID(room: String, at time: Timestamp, continuingEnded: Bool, in db: any RecordSession)
        throws
        -> Int64
    {
        if let latest = try latestSession(of: room, in: db),
            !latest.ended || (continuingEnded && latest.endReason != Self.serverStopped)
        {
            return latest.id
        }
        let id = try db.insertReturningID(
            "INSERT INTO sessions (room, started_at, node) VALUES ($1, $2, $3)",
            [.text(room), .integer(time.millisecondsSinceEpoch), .text(node)])
        latestSessions[room] = LatestSession(id: id, ended: false)
        return id
    }

    private mutating func latestSession(of room: String, in db: any RecordSession) throws -> LatestSession? {
        if let known = latestSessions[room] { return known }
        let latest = try db.query(
            "SELECT id, ended_at, end_reason FROM sessions WHERE room = $1 ORDER BY id DESC LIMIT 1", room)
        guard let row = latest.first else { return nil }
        let found = LatestSession(
            id: try row.integer("id"), ended: row["ended_at"] != .null, endReason: row["end_reason"].text)
        latestSessions[room] = found
        return found
    }

    private mutating func write(_ record: AttendanceRecord, session: Int64, room: String, in db: any RecordSession)
        throws
    {
        let member = record.member.rawValue
        let at = record.at.millisecondsSinceEpoch
        let (event, detail) = Self.describe(record.event)
        let values: [any SQLBindable] = [session, room, member, record.role.rawValue, event, detail, at]
        try RecordChain.append(RecordChain.attendance, values.map(\.sqlValue), tails: &tails, in: db)
        let open = "session_id = $3 AND member = $4 AND left_at IS NULL"
        switch record.event {
        case .connected:
            try db.execute(
                """
                INSERT INTO attendance (session_id, room, member, role, joined_at, node)
                SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS
                (SELECT 1 FROM attendance WHERE session_id = $1 AND member = $3 AND left_at IS NULL)
                """, session, room, member, record.role.rawValue, at, node)
        case .consented(let version):
            try db.execute(
                "UPDATE attendance SET consent_version = $1, consented_at = $2 WHERE \(open)", version, at, session,
                member)
        case .admitted(let by):
            try db.execute(
                "UPDATE attendance SET admitted_at = $1, admitted_by = $2 WHERE \(open)", at, by?.rawValue, session,
                member)
        case .left:
            try db.execute(
                "UPDATE attendance SET left_at = $1, end_reason = $2 WHERE \(open)", at, detail, session, member)
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

    /// Closes every open stay and session with `server_stopped`: on a shared
    /// database only this node's, on an exclusive one all (rows from before
    /// node ids included). A stay ends at `stayEnd(session)` and gets a
    /// chained `left` event; a session ends at its last record (those `left`
    /// events included).
    mutating func closeOpen(stayEnd: (Int64) throws -> Int64, in db: any RecordSession) throws {
        let mine = exclusive ? "" : " AND node = $1"
        let scope: [SQLValue] = exclusive ? [] : [.text(node)]
        let stays = try db.query(
            "SELECT id, session_id, room, member, role, joined_at FROM attendance WHERE left_at IS NULL\(mine) ORDER BY id",
            scope)
        for stay in stays {
            try end(stay, reason: Self.serverStopped, at: try stayEnd(try stay.integer("session_id")), in: db)
        }
        latestSessions = [:]  // every open session ends below
        for row in try db.query("SELECT id FROM sessions WHERE ended_at IS NULL\(mine) ORDER BY id", scope) {
            let id = try row.integer("id")
            try db.execute(
                "UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE id = $3",
                try Self.lastRecord(session: id, in: db), Self.serverStopped, id)
        }
    }

    /// Ends an open `stay` (a row with `id`, `session_id`, `room`, `member`,
    /// `role`, `joined_at`) with `reason` at `at` (at least its start), with its
    /// chained `left` event.
    mutating func end(_ stay: SQLRow, reason: String, at: Int64, in db: any RecordSession) throws {
        let at = max(at, try stay.integer("joined_at"))
        let values: [SQLValue] = [
            stay["session_id"], stay["room"], stay["member"], stay["role"], .text("left"), .text(reason), .integer(at),
        ]
        try RecordChain.append(RecordChain.attendance, values, tails: &tails, in: db)
        try db.execute(
            "UPDATE attendance SET left_at = $1, end_reason = $2 WHERE id = $3", at, reason, try stay.integer("id"))
    }

    /// The time of a session's last record (its start if it has none).
    static func lastRecord(session: Int64, in db: any RecordSession) throws -> Int64 {
        try db.scalar(
            """
            SELECT MAX(at) FROM (
                SELECT MAX(at) AS at FROM attendance_events WHERE session_id = $1
                UNION ALL SELECT MAX(at) FROM moderation_audit WHERE session_id = $1
                UNION ALL SELECT MAX(at) FROM checkin_scores WHERE session_id = $1
                UNION ALL SELECT started_at FROM sessions WHERE id = $1) AS latest
            """, session
        ).integer ?? 0
    }
}
