import GRDB
import RoomCore

extension SQLiteRecordStore: RoomStore {
    /// Every row of `rooms`, oldest first.
    public func storedRooms() throws -> [(id: String, document: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, document FROM rooms ORDER BY created_at, id").map {
                (id: $0["id"], document: $0["document"])
            }
        }
    }

    /// Updates the room's row, or inserts it, and appends the change to the
    /// `program_audit` chain, in one transaction on the writer; committed when it returns.
    public func storeRoom(_ document: String, id: String, change: ProgramChange) throws {
        let at = change.at.millisecondsSinceEpoch
        try writer.sync {
            try database.write { db in
                try db.execute(
                    sql: "UPDATE rooms SET document = ?, changed_by = ?, changed_at = ? WHERE id = ?",
                    arguments: [document, change.actor, at, id])
                if db.changesCount == 0 {
                    try db.execute(
                        sql: """
                            INSERT INTO rooms (id, document, created_by, created_at, changed_by, changed_at)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [id, document, change.actor, at, change.actor, at])
                }
                try Self.audit(change, room: id, in: db)
            }
        }
    }
}
