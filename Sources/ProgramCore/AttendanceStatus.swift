/// Whether a member attended a session they were expected at.
public enum AttendanceStatus: Hashable, Sendable {
    /// They attended at least ``PlanRules/presentMinimumMinutes``.
    case attended
    /// They did not; the reason if a facilitator recorded one.
    case absent(AbsenceReason?)

    /// `attended`, `excused`, `unexcused`, `rescheduled` or `absent` (no reason recorded): the export's value.
    public var code: String {
        switch self {
        case .attended: "attended"
        case .absent(let reason?): reason.rawValue
        case .absent(nil): "absent"
        }
    }
}
