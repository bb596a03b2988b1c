/// Why a schedule was refused. Slots and exceptions are named by their index
/// (0-based, in the order given), so a caller can point at the key.
public enum ScheduleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The schedule has no slot at all.
    case noSlots
    /// A slot names no weekday.
    case emptyWeekdays(slot: Int)
    /// A slot ends at or before it starts (a group crossing midnight is not supported).
    case slotEndNotAfterStart(slot: Int)
    /// Two slots meet on a common weekday at overlapping hours.
    case overlappingSlots(first: Int, second: Int, weekday: Weekday)
    /// The time zone is not in the database.
    case unknownTimeZone(String)
    /// The program's end date is before its start date.
    case programEndsBeforeStart
    /// An exception's date (or a moved session's new date) lies outside the program's dates.
    case exceptionOutsideProgram(exception: Int)
    /// An exception names a date and time when no session is scheduled.
    case exceptionMatchesNoSession(exception: Int)
    /// A moved session ends at or before it starts.
    case movedSessionEndNotAfterStart(exception: Int)
    /// A lead or reminder time is negative or longer than a day (1440 minutes).
    case leadOutOfRange(minutes: Int)
    /// Two exceptions change the same session (or one cancels a whole day another changes).
    case conflictingExceptions(first: Int, second: Int)
    /// A moved session overlaps another session of the day it moves to.
    case movedSessionOverlaps(exception: Int)

    /// One line for an operator (names indices and values, never anything a member wrote).
    public var description: String {
        switch self {
        case .noSlots: "a schedule needs at least one slot"
        case .emptyWeekdays(let slot): "slot \(slot) names no weekday"
        case .slotEndNotAfterStart(let slot): "slot \(slot) ends at or before it starts (same local day only)"
        case .overlappingSlots(let first, let second, let weekday):
            "slots \(first) and \(second) overlap on \(weekday.rawValue)"
        case .unknownTimeZone(let name): "unknown time zone \(name) (an IANA name such as America/Los_Angeles)"
        case .programEndsBeforeStart: "the program ends before it starts"
        case .exceptionOutsideProgram(let index): "exception \(index) lies outside the program's dates"
        case .exceptionMatchesNoSession(let index): "exception \(index) names no scheduled session"
        case .movedSessionEndNotAfterStart(let index): "exception \(index) moves a session to an end before its start"
        case .leadOutOfRange(let minutes): "\(minutes) minutes is not within 0...1440"
        case .conflictingExceptions(let first, let second): "exceptions \(first) and \(second) change the same session"
        case .movedSessionOverlaps(let index): "exception \(index) moves a session onto another session's hours"
        }
    }
}
