import RoomCore

extension DatabaseRecordStore: RevocationStore {
    /// Every revoked token id in the `revocations` table.
    public func revokedTokenIDs() throws -> [String] {
        try read { try $0.texts("SELECT token_id FROM revocations ORDER BY revoked_at, token_id") }
    }

    /// Inserts the revocation on the writer queue and commits it before
    /// returning (after the records queued before it).
    public func storeRevocation(of tokenID: String, by actor: String, at time: Timestamp) throws {
        try inTransaction { session in
            try session.execute(
                """
                INSERT INTO revocations (token_id, revoked_by, revoked_at) VALUES ($1, $2, $3)
                ON CONFLICT (token_id) DO NOTHING
                """, tokenID, actor, time.millisecondsSinceEpoch)
        }
    }
}
