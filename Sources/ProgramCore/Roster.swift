/// The members enrolled in a room's program.
public struct Roster: Hashable, Sendable {
    /// The enrolments, in the order given.
    public let entries: [Enrolment]

    /// A checked roster; throws the first problem found.
    public init(_ entries: [Enrolment]) throws(RosterError) {
        var seen = Set<String>()
        for (index, entry) in entries.enumerated() {
            guard !entry.member.isEmpty else { throw .emptyMember(entry: index) }
            guard seen.insert(entry.member).inserted else { throw .duplicateMember(entry: index) }
            if let discharged = entry.discharged, discharged < entry.enrolled {
                throw .dischargedBeforeEnrolled(entry: index)
            }
        }
        self.entries = entries
    }

    /// The members expected at `occurrence` (enrolled and not discharged on its date), in roster order.
    public func expected(at occurrence: Occurrence) -> [String] {
        entries.filter { $0.isExpected(on: occurrence.date) }.map(\.member)
    }

    /// The enrolment of `member`, if on the roster.
    public func enrolment(of member: String) -> Enrolment? { entries.first { $0.member == member } }
}
