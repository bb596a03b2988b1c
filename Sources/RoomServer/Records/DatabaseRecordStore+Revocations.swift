import RoomCore

extension DatabaseRecordStore: RevocationStore {
    /// Every revoked token id in the `revocations` table.
    public func revokedTokenIDs() throws -> [String] {
        try read { try $0.texts("SELECT token_id FROM revocations ORDER BY revoked_at, token_id") }
    }

    /// Inserts the revocation on the writer queue and commits it before
    /// returning (after the records queued before it). On PostgreSQL the same
    /// transaction NOTIFYs every node's revocation feed (payload: the token id
    /// only), delivered when it commits.
    public func storeRevocation(of tokenID: String, by actor: String, at time: Timestamp) throws {
        try inTransaction { session in
            try session.execute(
                """
                INSERT INTO revocations (token_id, revoked_by, revoked_at) VALUES ($1, $2, $3)
                ON CONFLICT (token_id) DO NOTHING
                """, tokenID, actor, time.millisecondsSinceEpoch)
            switch session.dialect {
            case .sqlite: break  // one server: nobody else to tell
            case .postgresql:
                _ = try session.query("SELECT pg_notify($1, $2)", PostgreSQLRevocationFeed.channel, tokenID)
            }
        }
    }

    /// A feed of every node's revocations (``PostgreSQLRevocationFeed``), not
    /// yet started; nil on SQLite, where this server is the only one.
    func revocationFeed(deliver: @escaping @Sendable ([String]) -> Void) -> PostgreSQLRevocationFeed? {
        switch location {
        case .sqlite: nil
        case .postgresql(let url): PostgreSQLRevocationFeed(url: url, logger: logger, deliver: deliver)
        }
    }
}
