import RoomCore

extension RecordWriter {
    /// The end reason of a stay its node left open when another node took the room over.
    static let nodeLost = "node_lost"
    /// The end reason of a stay whose node stopped cleanly (a drain) and handed the room
    /// over: like ``nodeLost``, the member keeps their place on the room's next node.
    static let nodeStopped = "node_stopped"
    /// The most attendance rows of one session read when a room is taken over (a bound
    /// far above a session's churn: 15 members reconnecting every minute for 8 hours).
    static let takeoverRowLimit = 100_000

    /// This node takes `room` over (it has just taken the room's lease): reads the
    /// places of the room's open session from its attendance rows (member ids,
    /// roles, agreement versions, end reasons: never content) and its open crisis
    /// alerts from its audit rows, closes the stays still open in it, which no node
    /// hosts any longer, with `node_lost` at `lastSeen` (when their node was last
    /// known alive; at least each stay's start), and marks the session as this
    /// node's, so the old node's crash recovery leaves it open. The session goes
    /// on: the same row, the same start. A member keeps an admitted place when
    /// their latest stay is open or ended by a node's loss or stop (not by anything
    /// they or a facilitator did), and ended no more than `placesKeptFor` before
    /// `now` (the room's reconnect window: as for a member whose connection
    /// dropped). A session whose places all ran out that way was abandoned with its
    /// node: it is closed (`server_stopped`, at its last record) and the room
    /// starts afresh. Nil when there is no open session to go on with.
    mutating func takeOver(
        room: String, lastSeen: Int64?, now: Timestamp, placesKeptFor: Duration, in db: any RecordSession
    ) throws -> RoomPlaces? {
        guard
            let latest = try db.query(
                "SELECT id, ended_at FROM sessions WHERE room = $1 ORDER BY id DESC LIMIT 1", room
            )
            .first, latest["ended_at"] == .null
        else { return nil }
        let session = try latest.integer("id")
        let stays = try db.query(
            """
            SELECT id, session_id, room, member, role, consent_version, admitted_at, left_at, end_reason, joined_at
            FROM attendance WHERE session_id = $1 ORDER BY id LIMIT $2
            """, session, Int64(Self.takeoverRowLimit))
        let lastAlive = try lastSeen ?? Self.lastRecord(session: session, in: db)
        let keptSince = now.millisecondsSinceEpoch - placesKeptFor.milliseconds
        var places = RoomPlaces()
        var open: [SQLRow] = []
        // Each member's latest stay decides their place.
        var latestStays: [MemberID: (role: Role, admitted: Bool, heldSince: Int64?)] = [:]
        for stay in stays {
            guard let member = stay["member"].text.map({ MemberID($0) }),
                let role = stay["role"].text.flatMap({ Role(rawValue: $0) })
            else { continue }
            if let version = stay["consent_version"].text { places.consents[member] = version }
            let reason = stay["end_reason"].text
            switch reason {
            case LeaveReason.removed.rawValue?: places.removed.insert(member)
            case LeaveReason.declined.rawValue?: places.declined.insert(member)
            default: break
            }
            let isOpen = stay["left_at"] == .null
            if isOpen { open.append(stay) }
            // Since when the member has been away through no doing of theirs (nil: they left, or were sent).
            let heldSince: Int64? =
                isOpen
                ? max(lastAlive, try stay.integer("joined_at"))
                : (reason == Self.nodeLost || reason == Self.nodeStopped) ? stay["left_at"].integer : nil
            latestStays[member] = (role, stay["admitted_at"] != .null || role == .facilitator, heldSince)
        }
        let holding = latestStays.filter { $0.value.admitted && $0.value.heldSince != nil }
        for (member, stay) in holding where (stay.heldSince ?? .min) >= keptSince {
            places.admitted[member] = stay.role
        }
        for stay in open { try end(stay, reason: Self.nodeLost, at: lastAlive, in: db) }
        if !holding.isEmpty, places.admitted.isEmpty {
            try db.execute(
                "UPDATE sessions SET ended_at = $1, end_reason = $2 WHERE id = $3",
                try Self.lastRecord(session: session, in: db), Self.serverStopped, session)
            return nil
        }
        (places.openAlerts, places.lastAlertID) = try Self.crisisAlerts(session: session, in: db)
        try db.execute("UPDATE sessions SET node = $1 WHERE id = $2", node, session)
        return places
    }

    /// A clean stop or a crash recovery on a database other nodes share: this node's
    /// open stays end with `reason` (``nodeStopped`` or ``nodeLost``) at
    /// `stayEnd(session)`, and its open sessions are left open with no node, for
    /// whichever node takes each room next (this one too, once restarted), which
    /// restores the places (``takeOver(room:lastSeen:now:placesKeptFor:in:)``).
    mutating func handOver(reason: String, stayEnd: (Int64) throws -> Int64, in db: any RecordSession) throws {
        let stays = try db.query(
            """
            SELECT id, session_id, room, member, role, joined_at FROM attendance
            WHERE left_at IS NULL AND node = $1 ORDER BY id
            """, node)
        for stay in stays { try end(stay, reason: reason, at: try stayEnd(try stay.integer("session_id")), in: db) }
        try db.execute("UPDATE sessions SET node = NULL WHERE ended_at IS NULL AND node = $1", node)
    }

    /// The crisis alerts of `session` raised and not acknowledged, from its audit rows
    /// (ids, members and times), and the highest alert id it used. Read in the rows'
    /// order, so an acknowledgement closes the alert raised before it.
    static func crisisAlerts(session: Int64, in db: any RecordSession) throws -> ([OpenAlertPlace], UInt64) {
        let rows = try db.query(
            """
            SELECT actor, action, alert_id, at FROM moderation_audit
            WHERE session_id = $1 AND action IN ($2, $3) AND alert_id IS NOT NULL ORDER BY id LIMIT $4
            """, session, raised, acknowledged, Int64(Self.takeoverRowLimit))
        var open: [UInt64: OpenAlertPlace] = [:]
        var last: UInt64 = 0
        for row in rows {
            let id = UInt64(bitPattern: try row.integer("alert_id"))
            last = max(last, id)
            if row["action"].text == acknowledged {
                open[id] = nil
            } else if let member = row["actor"].text {
                let at = Timestamp(millisecondsSinceEpoch: try row.integer("at"))
                open[id] = OpenAlertPlace(id: AlertID(id), member: MemberID(member), raisedAt: at)
            }
        }
        return (open.values.sorted { $0.id.rawValue < $1.id.rawValue }, last)
    }

    private static let raised = snakeCase(ModerationAction.crisisAlertRaised.rawValue)
    private static let acknowledged = snakeCase(ModerationAction.crisisAlertAcknowledged.rawValue)
}
