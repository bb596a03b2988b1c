/// One expected member at one scheduled session, measured against the plan.
/// Minutes are whole minutes, rounded down (a started minute is not billed).
public struct SessionOutcome: Hashable, Sendable {
    /// The opaque member id.
    public var member: String
    /// The session.
    public var occurrence: Occurrence
    /// Attended or absent (with the recorded reason).
    public var status: AttendanceStatus
    /// When they were first in the session, if at all.
    public var firstJoined: Instant?
    /// When they last left it, if at all.
    public var lastLeft: Instant?
    /// Minutes in the session, from the waiting room's opening through any overrun.
    public var attendedMinutes: Int
    /// Minutes after the scheduled start they arrived, when beyond the grace; 0 otherwise.
    public var lateMinutes: Int
    /// Minutes before the scheduled end they left for good, when beyond the grace; 0 otherwise.
    public var earlyLeaveMinutes: Int
    /// Minutes away after the scheduled start between their first arrival and last departure
    /// (stepped out, connection lost, left and came back).
    public var awayMinutes: Int

    /// Creates an outcome from all of its parts.
    public init(
        member: String, occurrence: Occurrence, status: AttendanceStatus, firstJoined: Instant?, lastLeft: Instant?,
        attendedMinutes: Int, lateMinutes: Int, earlyLeaveMinutes: Int, awayMinutes: Int
    ) {
        self.member = member
        self.occurrence = occurrence
        self.status = status
        self.firstJoined = firstJoined
        self.lastLeft = lastLeft
        self.attendedMinutes = attendedMinutes
        self.lateMinutes = lateMinutes
        self.earlyLeaveMinutes = earlyLeaveMinutes
        self.awayMinutes = awayMinutes
    }

    /// True when they arrived late (beyond the grace).
    public var isLate: Bool { lateMinutes > 0 }
    /// True when they left early (beyond the grace).
    public var leftEarly: Bool { earlyLeaveMinutes > 0 }
}
