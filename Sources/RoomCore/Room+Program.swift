extension Room {
    /// The participants the room lets in as soon as they accept the group
    /// agreement, as if `autoAdmit` were on for them alone; everyone else waits
    /// for a facilitator as usual. The server sets it from the room's program
    /// (the enrolled members expected at the session whose waiting room is
    /// open); it applies to later arrivals and acceptances, never to someone
    /// already waiting, and it carries over to the next session. No effects.
    public mutating func admitOnArrival(_ members: Set<MemberID>) {
        admitsOnArrival = members
    }

    /// The participants let in on arrival (see ``admitOnArrival(_:)``).
    public var admittedOnArrival: Set<MemberID> { admitsOnArrival }
}
