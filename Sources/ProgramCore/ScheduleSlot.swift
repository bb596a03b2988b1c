/// A weekly slot: the same wall-clock hours on one or more days of the week.
///
/// A slot starts and ends on the same local day (a group crossing midnight is
/// refused by ``Schedule``'s validation as ``ScheduleError/slotEndNotAfterStart(slot:)``).
public struct ScheduleSlot: Hashable, Sendable {
    /// The days of the week it meets.
    public var weekdays: Set<Weekday>
    /// The local start time.
    public var start: LocalTime
    /// The local end time (after ``start``).
    public var end: LocalTime

    /// Creates a slot (checked by ``Schedule/init(slots:timeZone:startDate:endDate:exceptions:waitingRoomLeadMinutes:reminderBeforeEndMinutes:database:)``).
    public init(weekdays: Set<Weekday>, start: LocalTime, end: LocalTime) {
        self.weekdays = weekdays
        self.start = start
        self.end = end
    }

    /// True when both slots meet on a common day at overlapping hours (touching ends do not overlap).
    func overlaps(_ other: ScheduleSlot) -> Bool {
        !weekdays.isDisjoint(with: other.weekdays) && start < other.end && other.start < end
    }
}
