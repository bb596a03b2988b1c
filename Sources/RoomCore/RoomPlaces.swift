/// What a room needs to go on after the node that hosted it died: who holds a
/// place in the open session, never anything anyone wrote. Member ids, roles,
/// agreement versions only (no alias, no content). The server reads it from the
/// records when it takes over a room and hands it to ``Room/restore(_:at:)``.
public struct RoomPlaces: Sendable, Hashable {
    /// Members present and admitted when the old node stopped, with their role
    /// (facilitators included): on their return they land admitted.
    public var admitted: [MemberID: Role]
    /// The agreement version each member accepted in this session.
    public var consents: [MemberID: String]
    /// Members a facilitator removed in this session: kept out.
    public var removed: Set<MemberID>
    /// Members a facilitator declined in this session: kept out.
    public var declined: Set<MemberID>

    /// Creates a value from all of its fields.
    public init(
        admitted: [MemberID: Role] = [:], consents: [MemberID: String] = [:], removed: Set<MemberID> = [],
        declined: Set<MemberID> = []
    ) {
        self.admitted = admitted
        self.consents = consents
        self.removed = removed
        self.declined = declined
    }

    /// Whether there is nothing to restore.
    public var isEmpty: Bool { admitted.isEmpty && consents.isEmpty && removed.isEmpty && declined.isEmpty }
}
