import RoomCore

extension DatabaseRecordStore {
    /// Inserts the invitation's row (its id, never the token) and its `invited` audit row.
    public func storeInvitation(tokenID: String, room: String, expires: Timestamp, change: ProgramChange) throws {
        try inTransaction { session in
            try session.execute(
                """
                INSERT INTO invitations (token_id, room, member, issued_by, issued_at, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                """, tokenID, room, change.member ?? "", change.actor, change.at.millisecondsSinceEpoch,
                expires.millisecondsSinceEpoch)
            try Self.audit(change, room: room, in: session)
        }
    }

    /// The ids of the member's invitations to `room` not yet revoked.
    public func openInvitations(room: String, member: String) throws -> [String] {
        try inTransaction { session in
            try session.texts(
                """
                SELECT token_id FROM invitations WHERE room = $1 AND member = $2 AND revoked_at IS NULL
                ORDER BY issued_at, token_id
                """, room, member)
        }
    }

    /// Marks the member's open invitations revoked and writes one audit row; returns their ids.
    public func revokeInvitations(room: String, change: ProgramChange) throws -> [String] {
        try inTransaction { session in
            let member = change.member ?? ""
            let ids = try session.texts(
                "SELECT token_id FROM invitations WHERE room = $1 AND member = $2 AND revoked_at IS NULL ORDER BY token_id",
                room, member)
            guard !ids.isEmpty else { return ids }
            try session.execute(
                "UPDATE invitations SET revoked_at = $1 WHERE room = $2 AND member = $3 AND revoked_at IS NULL",
                change.at.millisecondsSinceEpoch, room, member)
            try Self.audit(change, room: room, in: session)
            return ids
        }
    }

    /// Appends `change` to the `program_audit` chain. In a write transaction on the writer.
    static func audit(_ change: ProgramChange, room: String, in session: any RecordSession) throws {
        // The tail is read from the table each time (under the chain's lock on a shared database).
        var tails = RecordChain.Tails()
        let values: [any SQLBindable] = [
            room, change.actor, change.action.rawValue, change.member, change.at.millisecondsSinceEpoch,
        ]
        try RecordChain.append(RecordChain.programAudit, values.map(\.sqlValue), tails: &tails, in: session)
    }
}
