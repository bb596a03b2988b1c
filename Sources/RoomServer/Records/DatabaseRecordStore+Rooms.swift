import RoomCore

extension DatabaseRecordStore: RoomStore {
    /// The stored document of room `id`, if it has one.
    public func storedRoom(_ id: String) throws -> String? {
        try read { try $0.query("SELECT document FROM rooms WHERE id = $1", id) }.first?["document"].text
    }

    /// Every row of `rooms`, oldest first.
    public func storedRooms() throws -> [(id: String, document: String)] {
        let rows = try read { try $0.query("SELECT id, document FROM rooms ORDER BY created_at, id") }
        return try rows.map { (id: try $0.text("id"), document: try $0.text("document")) }
    }

    /// Inserts the room's row, or updates its document and who changed it
    /// (its creation stays as first written), and appends the change to the
    /// `program_audit` chain, in one transaction on the writer; committed when it returns.
    /// On PostgreSQL every other node's change feed learns of it when it commits.
    public func storeRoom(_ document: String, id: String, change: ProgramChange) throws {
        let at = change.at.millisecondsSinceEpoch
        try inTransaction { session in
            try session.execute(
                """
                INSERT INTO rooms (id, document, created_by, created_at, changed_by, changed_at)
                VALUES ($1, $2, $3, $4, $3, $4)
                ON CONFLICT (id) DO UPDATE SET document = excluded.document, changed_by = excluded.changed_by,
                changed_at = excluded.changed_at
                """, id, document, change.actor, at)
            try Self.audit(change, room: id, in: session)
            try Self.notify(.rooms, id, in: session)
        }
    }
}
