import GRDB
import RoomCore

extension SQLiteRecordStore: RevocationStore {
    /// Every revoked token id in the `revocations` table.
    public func revokedTokenIDs() throws -> [String] {
        try read { try String.fetchAll($0, sql: "SELECT token_id FROM revocations ORDER BY revoked_at, token_id") }
    }

    /// Inserts the revocation on the writer queue and commits it before
    /// returning (after the records queued before it).
    public func storeRevocation(of tokenID: String, by actor: String, at time: Timestamp) throws {
        try writer.sync {
            try database.write { db in
                try db.execute(
                    sql: "INSERT OR IGNORE INTO revocations (token_id, revoked_by, revoked_at) VALUES (?, ?, ?)",
                    arguments: [tokenID, actor, time.millisecondsSinceEpoch])
            }
        }
    }
}
