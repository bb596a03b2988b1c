/// One member's place in a program: from the day they were enrolled until the day they were discharged.
public struct Enrolment: Hashable, Sendable {
    /// The opaque member id (the `sub` of their token).
    public var member: String
    /// The first day they are expected.
    public var enrolled: LocalDate
    /// The day they were discharged: from that day on they are no longer expected; `nil` while enrolled.
    public var discharged: LocalDate?

    /// Creates an enrolment (checked by ``Roster/init(_:)``).
    public init(member: String, enrolled: LocalDate, discharged: LocalDate? = nil) {
        self.member = member
        self.enrolled = enrolled
        self.discharged = discharged
    }

    /// True when they are expected on `date`: enrolled on or before it and not discharged on or before it.
    public func isExpected(on date: LocalDate) -> Bool {
        enrolled <= date && (discharged.map { date < $0 } ?? true)
    }
}
