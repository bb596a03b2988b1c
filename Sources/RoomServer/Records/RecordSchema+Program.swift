import GRDB

/// The program's later tables, registered after the others by
/// ``RecordSchema/migrator``: plain standard SQL (a text, integer and
/// autoincrement key), so that another dialect takes them as written.
extension RecordSchema {
    /// Registers `v5-absence-notes`.
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
    }
}
