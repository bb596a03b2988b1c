/// What a room needs to go on after the node that hosted it died: who holds a
/// place in the open session and which crisis alerts are still open, never
/// anything anyone wrote. Member ids, roles, agreement versions, alert ids and
/// times only (no alias, no content). The server reads it from the
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
    /// Crisis alerts raised in this session and not acknowledged: every
    /// facilitator must still see them on the new node.
    public var openAlerts: [OpenAlertPlace]
    /// The highest alert id the session used, open or not: new alerts are numbered
    /// after it, so one id never names two alerts in the session's audit.
    public var lastAlertID: UInt64

    /// Creates a value from all of its fields.
    public init(
        admitted: [MemberID: Role] = [:], consents: [MemberID: String] = [:], removed: Set<MemberID> = [],
        declined: Set<MemberID> = [], openAlerts: [OpenAlertPlace] = [], lastAlertID: UInt64 = 0
    ) {
        self.lastAlertID = lastAlertID
        self.admitted = admitted
        self.consents = consents
        self.removed = removed
        self.declined = declined
        self.openAlerts = openAlerts
    }

    /// Whether there is nothing to restore.
    public var isEmpty: Bool {
        admitted.isEmpty && consents.isEmpty && removed.isEmpty && declined.isEmpty && openAlerts.isEmpty
    }
}

/// A crisis alert the records show raised and not acknowledged: its id, who
/// raised it and when. The alias is not in the records; the room shows the
/// member's id until the member is back and their alias is known again.
public struct OpenAlertPlace: Sendable, Hashable {
    /// The alert's id on the old node, kept so an acknowledgement names it.
    public var id: AlertID
    /// Who raised it.
    public var member: MemberID
    /// When it was first raised.
    public var raisedAt: Timestamp

    /// Creates a value from all of its fields.
    public init(id: AlertID, member: MemberID, raisedAt: Timestamp) {
        self.id = id
        self.member = member
        self.raisedAt = raisedAt
    }
}
