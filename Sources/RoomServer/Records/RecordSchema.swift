/// The records database's schema, as migrations applied in order, once each,
/// at start-up, on SQLite and PostgreSQL alike (``RecordMigrator``). Written
/// once in the SQL both accept: `BIGINT` columns, `{identity}` for a table's
/// id (``SQLDialect/identityColumn``), one statement per string. Times are
/// integer milliseconds since the Unix epoch, UTC. No column holds message
/// content or an alias: members are opaque ids.
enum RecordSchema {
    /// One migration: its identifier (kept in the database once applied) and its statements.
    struct Migration: Sendable {
        let identifier: String
        let statements: [String]
    }

    /// Every migration so far, in order: the records' own, then the program's
    /// later tables (``programMigrations``).
    static let migrations: [Migration] = recordMigrations + programMigrations

    /// The records' migrations, `v1-records` to `v6-room-leases`.
    private static let recordMigrations: [Migration] = [
        Migration(
            identifier: "v1-records",
            statements: [
                // One group session of one room: from its first record to its end.
                """
                CREATE TABLE sessions (
                    id {identity}, room TEXT NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT, end_reason TEXT)
                """,
                "CREATE INDEX sessions_by_room ON sessions(room, id)",
                // One row per stay: opened when a member arrives, closed when they leave.
                """
                CREATE TABLE attendance (
                    id {identity}, session_id BIGINT NOT NULL REFERENCES sessions(id), room TEXT NOT NULL,
                    member TEXT NOT NULL, role TEXT NOT NULL, joined_at BIGINT NOT NULL, consent_version TEXT,
                    consented_at BIGINT, admitted_at BIGINT, admitted_by TEXT, left_at BIGINT, end_reason TEXT)
                """,
                "CREATE INDEX attendance_open ON attendance(session_id, member, left_at)",
                // Every attendance fact, hash-chained (tamper-evident).
                """
                CREATE TABLE attendance_events (
                    id {identity}, session_id BIGINT NOT NULL REFERENCES sessions(id), room TEXT NOT NULL,
                    member TEXT NOT NULL, role TEXT NOT NULL, event TEXT NOT NULL, detail TEXT, at BIGINT NOT NULL,
                    prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
                """,
                // Who did what to whom, when: ids only, hash-chained.
                """
                CREATE TABLE moderation_audit (
                    id {identity}, session_id BIGINT NOT NULL REFERENCES sessions(id), room TEXT NOT NULL,
                    actor TEXT, action TEXT NOT NULL, target TEXT, message_id BIGINT, alert_id BIGINT,
                    at BIGINT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
                """,
                // Scores a room's policy retains: numbers only, never words.
                """
                CREATE TABLE checkin_scores (
                    id {identity}, session_id BIGINT NOT NULL REFERENCES sessions(id), room TEXT NOT NULL,
                    member TEXT NOT NULL, template TEXT NOT NULL, field TEXT NOT NULL, score BIGINT NOT NULL,
                    at BIGINT NOT NULL)
                """,
                // The server's heartbeat, for closing attendance after a crash (replaced in v5-nodes).
                "CREATE TABLE server_state (id BIGINT PRIMARY KEY CHECK (id = 1), last_alive_at BIGINT NOT NULL)",
            ]),
        Migration(
            identifier: "v2-revocations",
            statements: [
                // Revoked token ids (jti), kept across restarts: who revoked, when. No token, no alias.
                "CREATE TABLE revocations (token_id TEXT PRIMARY KEY, revoked_by TEXT NOT NULL, revoked_at BIGINT NOT NULL)"
            ]),
        Migration(
            identifier: "v3-programs",
            statements: [
                // Programs changed at run time (the admin API): the room's schedule and roster as a JSON
                // document of ids, dates and times; and who changed what, when, hash-chained. No content.
                """
                CREATE TABLE room_programs (
                    room TEXT PRIMARY KEY, document TEXT NOT NULL, changed_by TEXT NOT NULL, changed_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE program_audit (
                    id {identity}, room TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, member TEXT,
                    at BIGINT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
                """,
            ]),
        Migration(
            identifier: "v4-invitations",
            statements: [
                // Invitations issued by the admin API: token ids only (never the token), for revoking them.
                """
                CREATE TABLE invitations (
                    token_id TEXT PRIMARY KEY, room TEXT NOT NULL, member TEXT NOT NULL, issued_by TEXT NOT NULL,
                    issued_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, revoked_at BIGINT)
                """,
                "CREATE INDEX invitations_by_member ON invitations(room, member, revoked_at)",
            ]),
        Migration(
            identifier: "v5-nodes",
            statements: [
                // Several servers may share one database: each beats its own heartbeat, and the sessions
                // and stays it opens carry its node id (server.nodeId), so that after a crash it closes
                // only its own. The single-server heartbeat is kept under the node id '' (rows from
                // before this migration have no node; an exclusive SQLite store closes them all).
                "CREATE TABLE node_heartbeats (node TEXT PRIMARY KEY, last_alive_at BIGINT NOT NULL)",
                "INSERT INTO node_heartbeats (node, last_alive_at) SELECT '', last_alive_at FROM server_state",
                "DROP TABLE server_state",
                "ALTER TABLE sessions ADD COLUMN node TEXT",
                "ALTER TABLE attendance ADD COLUMN node TEXT",
                "CREATE INDEX attendance_open_by_node ON attendance(node, left_at)",
            ]),
        Migration(
            identifier: "v6-room-leases",
            statements: [
                // Which node hosts each room, until when (``RoomLeases``): a node lets members into a room
                // only while its row here is its own and unexpired. Room ids, node ids, times only.
                "CREATE TABLE room_leases (room TEXT PRIMARY KEY, node TEXT NOT NULL, expires_at BIGINT NOT NULL)"
            ]),
    ]
}
