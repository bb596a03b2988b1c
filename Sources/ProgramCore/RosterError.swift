/// Why a roster was refused; entries are named by index (0-based, in the order given).
public enum RosterError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An entry has an empty member id.
    case emptyMember(entry: Int)
    /// Two entries name the same member.
    case duplicateMember(entry: Int)
    /// An entry's discharge date is before its enrolment date.
    case dischargedBeforeEnrolled(entry: Int)

    /// One line for an operator.
    public var description: String {
        switch self {
        case .emptyMember(let entry): "roster entry \(entry) has an empty member id"
        case .duplicateMember(let entry): "roster entry \(entry) names a member already on the roster"
        case .dischargedBeforeEnrolled(let entry): "roster entry \(entry) is discharged before it is enrolled"
        }
    }
}
