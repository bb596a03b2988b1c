/// The program's later tables, applied after ``RecordSchema/migrations``'
/// first six (`v5-nodes` and `v6-room-leases` included: a records file from an earlier release
/// has `v1`…`v4` only, so these come after everything it may lack). Written
/// in the SQL both engines accept, like the others.
extension RecordSchema {
    /// `v7-absence-notes` and `v8-rooms`, in order.
    static let programMigrations: [Migration] = [
        Migration(
            identifier: "v7-absence-notes",
            statements: [
                // A facilitator's absence reasons, appended as recorded (the latest per member and
                // session holds; a NULL reason clears). Ids, an enumerated reason and times; no text.
                """
                CREATE TABLE absence_notes (
                    id {identity}, room TEXT NOT NULL, member TEXT NOT NULL, session TEXT NOT NULL, reason TEXT,
                    recorded_by TEXT NOT NULL, at BIGINT NOT NULL)
                """,
                "CREATE INDEX absence_notes_by_room ON absence_notes(room, id)",
            ]),
        Migration(
            identifier: "v8-rooms",
            statements: [
                // Rooms created at run time (the admin API): the definition as a JSON document of
                // an id, a title, a kind, a capacity and policy switches; who created and last changed it.
                """
                CREATE TABLE rooms (
                    id TEXT PRIMARY KEY, document TEXT NOT NULL, created_by TEXT NOT NULL, created_at BIGINT NOT NULL,
                    changed_by TEXT NOT NULL, changed_at BIGINT NOT NULL)
                """
            ]),
    ]
}
