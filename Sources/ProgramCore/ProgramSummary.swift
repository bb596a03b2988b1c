/// One member's whole program so far, for discharge planning.
public struct ProgramSummary: Hashable, Sendable {
    /// The opaque member id.
    public var member: String
    /// Their enrolment (enrolment and discharge dates).
    public var enrolment: Enrolment
    /// The sums over every session they were expected at.
    public var totals: AttendanceTotals
    /// Weeks with at least one session they were expected at.
    public var weeks: Int
    /// Of those, weeks below ``PlanRules/minimumWeeklyHours``.
    public var weeksBelowMinimumHours: Int

    /// Creates a summary from its parts.
    public init(
        member: String, enrolment: Enrolment, totals: AttendanceTotals, weeks: Int, weeksBelowMinimumHours: Int
    ) {
        self.member = member
        self.enrolment = enrolment
        self.totals = totals
        self.weeks = weeks
        self.weeksBelowMinimumHours = weeksBelowMinimumHours
    }

    /// Sessions attended out of sessions expected, in whole percent rounded down (100 when none were expected).
    public var attendancePercent: Int {
        totals.sessionsExpected == 0 ? 100 : totals.sessionsAttended * 100 / totals.sessionsExpected
    }
}
