/// What attendance against the plan counts as late, early, present and enough.
public struct PlanRules: Hashable, Sendable {
    /// Minutes after the scheduled start an arrival is still on time. Default 5.
    public var lateGraceMinutes = 5
    /// Minutes before the scheduled end a departure is still not early. Default 5.
    public var earlyLeaveGraceMinutes = 5
    /// Whole minutes attended for a session to count as attended rather than missed. Default 1.
    public var presentMinimumMinutes = 1
    /// How long after the scheduled end time still counts for that session (a
    /// group that runs over is not cut off), unless the next session's waiting
    /// room opens first. Default 240 minutes.
    public var overrunLimitMinutes = 240
    /// The weekly hours an IOP promises, at least. Default 9.
    public var minimumWeeklyHours = 9
    /// The weekly hours an IOP promises, at most. Default 20.
    public var maximumWeeklyHours = 20

    /// The defaults.
    public init() {}
}
