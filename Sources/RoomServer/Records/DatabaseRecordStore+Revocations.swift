import RoomCore

extension DatabaseRecordStore: RevocationStore {
    /// Every revoked token id in the `revocations` table.
    public func revokedTokenIDs() throws -> [String] {
        try read { try $0.texts("SELECT token_id FROM revocations ORDER BY revoked_at, token_id") }
    }

    /// Inserts the revocation on the writer queue and commits it before
    /// returning (after the records queued before it). On PostgreSQL the same
    /// transaction NOTIFYs every node's change feed (payload: the token id
    /// only), delivered when it commits.
    public func storeRevocation(of tokenID: String, by actor: String, at time: Timestamp) throws {
        try inTransaction { session in
            try session.execute(
                """
                INSERT INTO revocations (token_id, revoked_by, revoked_at) VALUES ($1, $2, $3)
                ON CONFLICT (token_id) DO NOTHING
                """, tokenID, actor, time.millisecondsSinceEpoch)
            try Self.notify(.revocations, tokenID, in: session)
        }
    }

    /// Tells every other node's change feed, when the transaction commits, that
    /// `id` changed on `channel`; nothing on SQLite, where this server is the only one.
    static func notify(_ channel: ChangeChannel, _ id: String, in session: any RecordSession) throws {
        switch session.dialect {
        case .sqlite: break
        case .postgresql: _ = try session.query("SELECT pg_notify($1, $2)", channel.rawValue, id)
        }
    }

    /// A feed of every node's revocations, rooms and programs
    /// (``PostgreSQLChangeFeed``), not yet started; nil on SQLite.
    func changeFeed(deliver: @escaping @Sendable (ChangeChannel, [String]) -> Void) -> PostgreSQLChangeFeed? {
        switch location {
        case .sqlite: nil
        case .postgresql(let url): PostgreSQLChangeFeed(url: url, logger: logger, deliver: deliver)
        }
    }
}
