extension Room {
    /// The room's node changed (the old one died or lost the room's lease) and
    /// `places` is what the records kept of the open session: the room takes it
    /// before anyone is let in. Admitted participants who return land admitted
    /// once they hold the agreement (no second waiting room), removed and
    /// declined members stay out, agreements stay accepted, and the crisis alerts
    /// left open are open here: every facilitator who arrives sees them in their
    /// snapshot and may acknowledge them by the same ids. Only an empty room
    /// takes it (members present mean this node hosted the room all along):
    /// otherwise nothing changes. An ended session is closed first: the places
    /// belong to a session still open in the records. Produces no effect.
    public mutating func restore(_ places: RoomPlaces, at now: Timestamp) -> [Effect] {
        begin(at: now)
        guard members.isEmpty else { return [] }
        if phase != .open {
            var next = Room(configuration: configuration, openedAt: self.now)
            next.admitsOnArrival = admitsOnArrival
            self = next
        }
        consents = places.consents
        banned = [:]
        for member in places.declined { banned[member] = .declined }
        for member in places.removed { banned[member] = .removed }
        alerts.restore(places.openAlerts, after: places.lastAlertID, at: self.now)
        returning = Set(places.admitted.filter { $0.value == .participant && banned[$0.key] == nil }.keys)
        numberAfterAnyPreviousNode(at: now)
        return []
    }

    /// A client that saw the previous node's events drops any event numbered at or
    /// below the last it saw, and resumes from it. So events here are numbered after
    /// anything a previous node could have sent: from the takeover's instant in
    /// milliseconds times 1,024 (a node would have to send 1,024 events a
    /// millisecond to reach the next takeover's numbers; 2^53, where JSON numbers
    /// stop being exact, comes in the year 2248), and nothing before that can be
    /// resumed: such a client gets a fresh snapshot, never old numbers replayed.
    private mutating func numberAfterAnyPreviousNode(at now: Timestamp) {
        let base = SequenceNumber(max(0, now.millisecondsSinceEpoch)) << 10
        lastSequence = max(lastSequence, base)
        replay.forget(through: lastSequence)
    }

    /// Participants restored as admitted who have not come back yet.
    public var returningMembers: Set<MemberID> { returning }
}
