import GRDB

/// The records database's schema, as GRDB migrations (applied in order, once
/// each, at start-up). Times are integer milliseconds since the Unix epoch, UTC.
/// No column holds message content or an alias: members are opaque ids.
enum RecordSchema {
    /// Every migration so far.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-records") { db in
            // One group session of one room: from its first record to its end.
            try db.execute(
                sql: """
                    CREATE TABLE sessions (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        room TEXT NOT NULL,
                        started_at INTEGER NOT NULL,
                        ended_at INTEGER,
                        end_reason TEXT
                    );
                    CREATE INDEX sessions_by_room ON sessions(room, id);

                    -- One row per stay: opened when a member arrives, closed when they leave.
                    CREATE TABLE attendance (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        session_id INTEGER NOT NULL REFERENCES sessions(id),
                        room TEXT NOT NULL,
                        member TEXT NOT NULL,
                        role TEXT NOT NULL,
                        joined_at INTEGER NOT NULL,
                        consent_version TEXT,
                        consented_at INTEGER,
                        admitted_at INTEGER,
                        admitted_by TEXT,
                        left_at INTEGER,
                        end_reason TEXT
                    );
                    CREATE INDEX attendance_open ON attendance(session_id, member, left_at);

                    -- Every attendance fact, hash-chained (tamper-evident).
                    CREATE TABLE attendance_events (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        session_id INTEGER NOT NULL REFERENCES sessions(id),
                        room TEXT NOT NULL,
                        member TEXT NOT NULL,
                        role TEXT NOT NULL,
                        event TEXT NOT NULL,
                        detail TEXT,
                        at INTEGER NOT NULL,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );

                    -- Who did what to whom, when: ids only, hash-chained.
                    CREATE TABLE moderation_audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        session_id INTEGER NOT NULL REFERENCES sessions(id),
                        room TEXT NOT NULL,
                        actor TEXT,
                        action TEXT NOT NULL,
                        target TEXT,
                        message_id INTEGER,
                        alert_id INTEGER,
                        at INTEGER NOT NULL,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );

                    -- Scores a room's policy retains: numbers only, never words.
                    CREATE TABLE checkin_scores (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        session_id INTEGER NOT NULL REFERENCES sessions(id),
                        room TEXT NOT NULL,
                        member TEXT NOT NULL,
                        template TEXT NOT NULL,
                        field TEXT NOT NULL,
                        score INTEGER NOT NULL,
                        at INTEGER NOT NULL
                    );

                    -- The server's heartbeat, for closing attendance after a crash.
                    CREATE TABLE server_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        last_alive_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2-revocations") { db in
            // Revoked token ids (jti), kept across restarts: who revoked, when. No token, no alias.
            try db.execute(
                sql: """
                    CREATE TABLE revocations (
                        token_id TEXT PRIMARY KEY,
                        revoked_by TEXT NOT NULL,
                        revoked_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3-programs") { db in
            // Programs changed at run time (the admin API): the room's schedule and roster as a JSON
            // document of ids, dates and times; and who changed what, when, hash-chained. No content.
            try db.execute(
                sql: """
                    CREATE TABLE room_programs (
                        room TEXT PRIMARY KEY,
                        document TEXT NOT NULL,
                        changed_by TEXT NOT NULL,
                        changed_at INTEGER NOT NULL
                    );
                    CREATE TABLE program_audit (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        room TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        action TEXT NOT NULL,
                        member TEXT,
                        at INTEGER NOT NULL,
                        prev_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v4-invitations") { db in
            // Invitations issued by the admin API: token ids only (never the token), for revoking them.
            try db.execute(
                sql: """
                    CREATE TABLE invitations (
                        token_id TEXT PRIMARY KEY,
                        room TEXT NOT NULL,
                        member TEXT NOT NULL,
                        issued_by TEXT NOT NULL,
                        issued_at INTEGER NOT NULL,
                        expires_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    CREATE INDEX invitations_by_member ON invitations(room, member, revoked_at);
                    """)
        }
        registerProgramTables(in: &migrator)
        return migrator
    }
}
