/// One member's attendance in one ISO week (Monday to Sunday, local dates) of the program.
public struct WeekSummary: Hashable, Sendable {
    /// The opaque member id.
    public var member: String
    /// The Monday the week starts on.
    public var weekStart: LocalDate
    /// The ISO 8601 week, `2026-W10`.
    public var isoWeek: String { weekStart.isoWeek }
    /// The week's sums.
    public var totals: AttendanceTotals
    /// True when they attended fewer than ``PlanRules/minimumWeeklyHours``.
    public var belowMinimumHours: Bool
    /// True when they attended more than ``PlanRules/maximumWeeklyHours``.
    public var aboveMaximumHours: Bool

    /// Creates a summary from its parts.
    public init(
        member: String, weekStart: LocalDate, totals: AttendanceTotals, belowMinimumHours: Bool,
        aboveMaximumHours: Bool
    ) {
        self.member = member
        self.weekStart = weekStart
        self.totals = totals
        self.belowMinimumHours = belowMinimumHours
        self.aboveMaximumHours = aboveMaximumHours
    }
}
