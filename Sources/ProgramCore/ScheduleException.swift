/// A change to the weekly pattern on one date.
public enum ScheduleException: Hashable, Sendable {
    /// No session on `date` (a holiday); `start` names one slot that day, `nil` cancels every session that day.
    case cancelled(date: LocalDate, start: LocalTime?)
    /// The session of `date` that starts at `start` takes place on `toDate` from `toStart` to `toEnd` instead.
    case moved(date: LocalDate, start: LocalTime, toDate: LocalDate, toStart: LocalTime, toEnd: LocalTime)

    /// The scheduled date it changes.
    public var date: LocalDate {
        switch self {
        case .cancelled(let date, _): date
        case .moved(let date, _, _, _, _): date
        }
    }
}
