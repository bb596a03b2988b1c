import RoomCore

extension DatabaseRecordStore: ProgramStore {
    /// The stored program document of `room`, if it has one.
    public func storedProgram(_ room: String) throws -> String? {
        try read { try $0.query("SELECT document FROM room_programs WHERE room = $1", room) }.first?["document"].text
    }

    /// Every row of `room_programs`: the room's program document.
    public func storedPrograms() throws -> [String: String] {
        let rows = try read { try $0.query("SELECT room, document FROM room_programs ORDER BY room") }
        return Dictionary(
            try rows.map { (try $0.text("room"), try $0.text("document")) }, uniquingKeysWith: { _, last in last })
    }

    /// Upserts the room's row in `room_programs` and appends the change to the
    /// `program_audit` chain, in one transaction on the writer (after the
    /// records queued before it); committed when it returns. On PostgreSQL every
    /// other node's change feed learns of it when it commits.
    public func storeProgram(_ document: String, room: String, change: ProgramChange) throws {
        try inTransaction { session in
            try session.execute(
                """
                INSERT INTO room_programs (room, document, changed_by, changed_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (room) DO UPDATE SET document = excluded.document, changed_by = excluded.changed_by,
                changed_at = excluded.changed_at
                """, room, document, change.actor, change.at.millisecondsSinceEpoch)
            try Self.audit(change, room: room, in: session)
            try Self.notify(.programs, room, in: session)
        }
    }
}
