import GRDB
import RoomCore

extension SQLiteRecordStore {
    /// Inserts the invitation's row (its id, never the token) and its `invited` audit row.
    public func storeInvitation(tokenID: String, room: String, expires: Timestamp, change: ProgramChange) throws {
        try writer.sync {
            try database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO invitations (token_id, room, member, issued_by, issued_at, expires_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        tokenID, room, change.member ?? "", change.actor, change.at.millisecondsSinceEpoch,
                        expires.millisecondsSinceEpoch,
                    ])
                try Self.audit(change, room: room, in: db)
            }
        }
    }

    /// The ids of the member's invitations to `room` not yet revoked.
    public func openInvitations(room: String, member: String) throws -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT token_id FROM invitations WHERE room = ? AND member = ? AND revoked_at IS NULL ORDER BY issued_at",
                arguments: [room, member])
        }
    }

    /// Marks the member's open invitations revoked and writes one audit row; returns their ids.
    public func revokeInvitations(room: String, change: ProgramChange) throws -> [String] {
        try writer.sync {
            try database.write { db in
                let ids = try String.fetchAll(
                    db, sql: "SELECT token_id FROM invitations WHERE room = ? AND member = ? AND revoked_at IS NULL",
                    arguments: [room, change.member ?? ""])
                guard !ids.isEmpty else { return ids }
                try db.execute(
                    sql: "UPDATE invitations SET revoked_at = ? WHERE room = ? AND member = ? AND revoked_at IS NULL",
                    arguments: [change.at.millisecondsSinceEpoch, room, change.member ?? ""])
                try Self.audit(change, room: room, in: db)
                return ids
            }
        }
    }

    /// Appends `change` to the `program_audit` chain. In a write transaction on the writer.
    static func audit(_ change: ProgramChange, room: String, in db: Database) throws {
        // Only this writer appends to program_audit, so the tail is read from the table each time.
        var tails = RecordChain.Tails()
        try RecordChain.append(
            RecordChain.programAudit,
            [room, change.actor, change.action.rawValue, change.member, change.at.millisecondsSinceEpoch],
            tails: &tails, in: db)
    }
}
