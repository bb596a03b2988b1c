import RoomCore

extension RecordWriter {
    /// The end reason of a stay its node left open when another node took the room over.
    static let nodeLost = "node_lost"
    /// The most attendance rows of one session read when a room is taken over (a bound
    /// far above a session's churn: 15 members reconnecting every minute for 8 hours).
    static let takeoverRowLimit = 100_000

    /// This node takes `room` over (it has just taken the room's lease): reads the
    /// places of the room's open session from its attendance rows (member ids,
    /// roles, agreement versions, end reasons: never content; a member whose
    /// latest stay is open, or ended `node_lost` by an earlier takeover, keeps an
    /// admitted place), closes the stays
    /// still open in it, which no node hosts any longer, with `node_lost` at
    /// `lastSeen` (when their node was last known alive; at least each stay's
    /// start), and marks the session as this node's, so the old node's crash
    /// recovery leaves it open. The session goes on: the same row, the same
    /// start. Nil when the room has no open session (nothing to restore).
    mutating func takeOver(room: String, lastSeen: Int64?, in db: any RecordSession) throws -> RoomPlaces? {
        guard
            let latest = try db.query(
                "SELECT id, ended_at FROM sessions WHERE room = $1 ORDER BY id DESC LIMIT 1", room
            )
            .first, latest["ended_at"] == .null
        else { return nil }
        let session = try latest.integer("id")
        let stays = try db.query(
            """
            SELECT id, member, role, consent_version, admitted_at, left_at, end_reason, joined_at
            FROM attendance WHERE session_id = $1 ORDER BY id LIMIT $2
            """, session, Int64(Self.takeoverRowLimit))
        var places = RoomPlaces()
        var open: [SQLRow] = []
        // Each member's latest stay decides their place: still open, or ended by a node's loss
        // (an earlier takeover) and not by anything the member or a facilitator did.
        var latestStays: [MemberID: (role: Role, admitted: Bool, holdsPlace: Bool)] = [:]
        for stay in stays {
            guard let member = stay["member"].text.map({ MemberID($0) }),
                let role = stay["role"].text.flatMap({ Role(rawValue: $0) })
            else { continue }
            if let version = stay["consent_version"].text { places.consents[member] = version }
            switch stay["end_reason"].text {
            case LeaveReason.removed.rawValue?: places.removed.insert(member)
            case LeaveReason.declined.rawValue?: places.declined.insert(member)
            default: break
            }
            let isOpen = stay["left_at"] == .null
            let holdsPlace = isOpen || stay["end_reason"].text == Self.nodeLost
            latestStays[member] = (role, stay["admitted_at"] != .null || role == .facilitator, holdsPlace)
            if isOpen { open.append(stay) }
        }
        for (member, stay) in latestStays where stay.holdsPlace && stay.admitted { places.admitted[member] = stay.role }
        let end = try lastSeen ?? Self.lastRecord(session: session, in: db)
        for stay in open {
            let at = max(end, try stay.integer("joined_at"))
            let values: [SQLValue] = [
                .integer(session), .text(room), stay["member"], stay["role"], .text("left"), .text(Self.nodeLost),
                .integer(at),
            ]
            try RecordChain.append(RecordChain.attendance, values, tails: &tails, in: db)
            try db.execute(
                "UPDATE attendance SET left_at = $1, end_reason = $2 WHERE id = $3", at, Self.nodeLost,
                try stay.integer("id"))
        }
        try db.execute("UPDATE sessions SET node = $1 WHERE id = $2", node, session)
        return places
    }
}
