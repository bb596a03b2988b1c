/// Attendance measured against the program's plan: for every enrolled member
/// and every scheduled session they were expected at, what happened; then
/// per-week and whole-program roll-ups. Pure: the sessions, the roster, the
/// stays and the facilitators' absence notes come in as values.
///
/// Members who attended but are not on the roster (drop-ins, facilitators)
/// are not part of the plan; the plain attendance export still lists them.
public struct AttendancePlan: Hashable, Sendable {
    /// The rules it was computed with.
    public let rules: PlanRules
    /// One row per expected member per session: sessions in order, members in roster order.
    public let sessions: [SessionOutcome]
    /// One row per member per week with a session they were expected at: members in roster order, weeks in order.
    public let weeks: [WeekSummary]
    /// One row per roster member, in roster order.
    public let members: [ProgramSummary]

    /// Computes the plan.
    ///
    /// - Parameters:
    ///   - occurrences: the scheduled sessions to measure (typically the program's sessions so far).
    ///   - roster: who is expected, when.
    ///   - stays: each member's spans in session, by member id (any order, may overlap).
    ///   - absences: facilitators' notes; a note for a session the member attended is ignored.
    ///   - rules: grace times and weekly hours.
    public init(
        occurrences: [Occurrence], roster: Roster, stays: [String: [Stay]], absences: [AbsenceNote] = [],
        rules: PlanRules = PlanRules()
    ) {
        self.rules = rules
        let ordered = occurrences.sorted { $0.start < $1.start }
        var reasons: [String: AbsenceReason] = [:]
        for note in absences { reasons[note.member + "\u{0}" + note.occurrence] = note.reason }
        var rows: [SessionOutcome] = []
        for (index, occurrence) in ordered.enumerated() {
            let windowEnd = min(
                occurrence.end.adding(minutes: rules.overrunLimitMinutes),
                index + 1 < ordered.count ? ordered[index + 1].opensAt : .distantFuture)
            for member in roster.expected(at: occurrence) {
                rows.append(
                    Self.outcome(
                        member: member, at: occurrence, until: max(windowEnd, occurrence.end),
                        stays: stays[member] ?? [], reason: reasons[member + "\u{0}" + occurrence.id], rules: rules))
            }
        }
        sessions = rows
        var weekRows: [WeekSummary] = []
        var summaries: [ProgramSummary] = []
        for enrolment in roster.entries {
            let mine = rows.filter { $0.member == enrolment.member }
            let byWeek = Dictionary(grouping: mine, by: \.occurrence.date.weekStart)
            let memberWeeks = byWeek.keys.sorted().map { start in
                let totals = AttendanceTotals(byWeek[start] ?? [])
                return WeekSummary(
                    member: enrolment.member, weekStart: start, totals: totals,
                    belowMinimumHours: totals.attendedMinutes < rules.minimumWeeklyHours * 60,
                    aboveMaximumHours: totals.attendedMinutes > rules.maximumWeeklyHours * 60)
            }
            weekRows += memberWeeks
            summaries.append(
                ProgramSummary(
                    member: enrolment.member, enrolment: enrolment, totals: AttendanceTotals(mine),
                    weeks: memberWeeks.count, weeksBelowMinimumHours: memberWeeks.filter(\.belowMinimumHours).count))
        }
        weeks = weekRows
        members = summaries
    }
}

extension Instant {
    /// Later than any instant a program holds.
    static let distantFuture = Instant(millisecondsSinceEpoch: .max)
}
