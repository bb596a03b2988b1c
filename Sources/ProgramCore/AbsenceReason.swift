/// Why a member missed a session, as a facilitator recorded it.
public enum AbsenceReason: String, Hashable, Sendable, CaseIterable {
    /// Excused (illness, appointment agreed in advance).
    case excused
    /// Not excused.
    case unexcused
    /// The member attends another session instead.
    case rescheduled
}
