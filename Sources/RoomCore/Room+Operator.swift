extension Room {
    /// An operator ended the session from outside the room (the admin API):
    /// the same end as a facilitator's `end_session` (everyone gets
    /// `session.ended`, then the 4003 close; content is purged), audited with
    /// the operator's id as the actor. Returns no effects when there is no
    /// session to end: the room has already ended, or nobody is present.
    public mutating func operatorEndedSession(by actor: MemberID, at now: Timestamp) -> [Effect] {
        begin(at: now)
        guard phase == .open, !order.isEmpty else { return drain() }
        endSession(by: actor)
        return drain()
    }
}
