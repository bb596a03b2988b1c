import ProgramCore

/// Attendance against the plan for one room over a range of the program's
/// dates: what `iopctl attendance export --against-plan` writes. Computed by
/// ProgramCore's ``AttendancePlan`` from the room's program (rooms file) and
/// its attendance records; written as CSV (one table) or JSON (all three) by
/// `PlanExport+Output.swift`.
public struct PlanExport: Sendable {
    /// The room id.
    public let room: String
    /// The room's schedule (its time zone formats every time).
    public let schedule: Schedule
    /// The first and last program dates covered (both included, in the schedule's time zone).
    public let from: LocalDate
    /// The last date covered.
    public let to: LocalDate
    /// The computed plan.
    public let plan: AttendancePlan

    /// Why a room's plan cannot be exported.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// The room has no `schedule:` in the rooms file.
        case noSchedule(room: String)
        /// The room has no `roster:` in the rooms file.
        case noRoster(room: String)

        /// One line for the operator.
        public var description: String {
            switch self {
            case .noSchedule(let room): "room \(room) has no schedule: in the rooms file"
            case .noRoster(let room): "room \(room) has no roster: in the rooms file"
            }
        }
    }

    /// Measures the scheduled sessions dated `from`...`to` that started by
    /// `asOf` (later ones are not due yet) against `input`'s records.
    public init(
        room: String, program: RoomProgram?, input: AttendanceReport.Input, absences: [AbsenceNote] = [],
        from: LocalDate, to: LocalDate, asOf: Int64, rules: PlanRules = PlanRules()
    ) throws(Problem) {
        guard let schedule = program?.schedule else { throw .noSchedule(room: room) }
        guard let roster = program?.roster else { throw .noRoster(room: room) }
        self.room = room
        self.schedule = schedule
        self.from = from
        self.to = to
        var occurrences: [Occurrence] = []
        var day = max(from, schedule.startDate)
        while day <= min(to, schedule.endDate) {
            occurrences += schedule.occurrences(on: day).filter { $0.start.millisecondsSinceEpoch <= asOf }
            day = day.adding(days: 1)
        }
        plan = AttendancePlan(
            occurrences: occurrences, roster: roster, stays: input.stays(asOf: asOf), absences: absences, rules: rules)
    }

    /// The days of records to read for `from`...`to`: two days wider on each side, so a
    /// session is found whatever `attendance.timeZone` is; the plan keeps only what is in its windows.
    public static func recordPeriod(from: LocalDate, to: LocalDate) -> AttendancePeriod {
        func day(_ date: LocalDate) -> CalendarDay {
            CalendarDay(year: date.year, month: date.month, day: date.day)
        }
        return AttendancePeriod(from: day(from.adding(days: -2)), to: day(to.adding(days: 2)))
    }
}
