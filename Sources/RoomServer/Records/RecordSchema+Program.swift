import GRDB

/// The program's later tables, registered after the others by
/// ``RecordSchema/migrator``: plain standard SQL (a text, integer and
/// autoincrement key), so that another dialect takes them as written.
extension RecordSchema {
    /// Registers `v5-absence-notes` and `v6-rooms`.
    static func registerProgramTables(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-absence-notes") { db in
            // A facilitator's absence reasons, appended as recorded (the latest per member and
            // session holds; a NULL reason clears). Ids, an enumerated reason and times; no text.
            try db.execute(
                sql: """
                    CREATE TABLE absence_notes (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        room TEXT NOT NULL,
                        member TEXT NOT NULL,
                        session TEXT NOT NULL,
                        reason TEXT,
                        recorded_by TEXT NOT NULL,
                        at INTEGER NOT NULL
                    );
                    CREATE INDEX absence_notes_by_room ON absence_notes(room, id);
                    """)
        }
        migrator.registerMigration("v6-rooms") { db in
            // Rooms created at run time (the admin API): the definition as a JSON document of
            // an id, a title, a kind, a capacity and policy switches; who created and last changed it.
            try db.execute(
                sql: """
                    CREATE TABLE rooms (
                        id TEXT PRIMARY KEY,
                        document TEXT NOT NULL,
                        created_by TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        changed_by TEXT NOT NULL,
                        changed_at INTEGER NOT NULL
                    );
                    """)
        }
    }
}
