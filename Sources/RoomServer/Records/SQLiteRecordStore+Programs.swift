import GRDB
import RoomCore

extension SQLiteRecordStore: ProgramStore {
    /// Every row of `room_programs`: the room's program document.
    public func storedPrograms() throws -> [String: String] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT room, document FROM room_programs ORDER BY room")
            return Dictionary(rows.map { ($0["room"], $0["document"]) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// Upserts the room's row in `room_programs` and appends the change to the
    /// `program_audit` chain, in one transaction on the writer (after the
    /// records queued before it); committed when it returns.
    public func storeProgram(_ document: String, room: String, change: ProgramChange) throws {
        try writer.sync {
            try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO room_programs (room, document, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT(room) DO UPDATE SET document = ?2, changed_by = ?3, changed_at = ?4
                        """,
                    arguments: [room, document, change.actor, change.at.millisecondsSinceEpoch])
                try Self.audit(change, room: room, in: db)
            }
        }
    }
}
