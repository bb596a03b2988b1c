/// Sums of a member's session outcomes over a week or a whole program.
public struct AttendanceTotals: Hashable, Sendable {
    /// Sessions they were expected at.
    public var sessionsExpected = 0
    /// Sessions they attended.
    public var sessionsAttended = 0
    /// Distinct local dates with an attended session (what is billed per day).
    public var daysAttended = 0
    /// Scheduled minutes of the sessions they were expected at.
    public var scheduledMinutes = 0
    /// Minutes attended (the sum of the sessions' whole minutes).
    public var attendedMinutes = 0
    /// Sessions they arrived late to.
    public var lateArrivals = 0
    /// Sessions they left early.
    public var earlyLeaves = 0
    /// Minutes away.
    public var awayMinutes = 0
    /// Sessions missed, by reason.
    public var absences = AbsenceCounts()

    /// Nothing counted yet.
    public init() {}

    /// The totals of `outcomes`.
    init(_ outcomes: [SessionOutcome]) {
        var days = Set<LocalDate>()
        for outcome in outcomes {
            sessionsExpected += 1
            scheduledMinutes += outcome.occurrence.scheduledMinutes
            attendedMinutes += outcome.attendedMinutes
            awayMinutes += outcome.awayMinutes
            if outcome.isLate { lateArrivals += 1 }
            if outcome.leftEarly { earlyLeaves += 1 }
            absences.count(outcome.status)
            switch outcome.status {
            case .attended:
                sessionsAttended += 1
                days.insert(outcome.occurrence.date)
            case .absent: break
            }
        }
        daysAttended = days.count
    }
}
