/// A facilitator's note that a member missed one session, and why.
public struct AbsenceNote: Hashable, Sendable {
    /// The opaque member id.
    public var member: String
    /// The ``Occurrence/id`` of the session.
    public var occurrence: String
    /// The reason.
    public var reason: AbsenceReason

    /// Creates a note.
    public init(member: String, occurrence: String, reason: AbsenceReason) {
        self.member = member
        self.occurrence = occurrence
        self.reason = reason
    }
}
