/// A room's program schedule: weekly slots in one time zone between a start
/// and an end date, with exceptions (holidays, moved sessions), and when the
/// waiting room opens and facilitators are reminded. Validated on creation;
/// the occurrences are computed from it (``Schedule/occurrences(from:to:)``).
public struct Schedule: Sendable {
    /// The weekly slots, in the order given.
    public let slots: [ScheduleSlot]
    /// The clinic's time zone.
    public let timeZone: ProgramTimeZone
    /// The program's first day.
    public let startDate: LocalDate
    /// The program's last day (included).
    public let endDate: LocalDate
    /// Cancelled and moved sessions, in the order given.
    public let exceptions: [ScheduleException]
    /// How long before a scheduled start the waiting room opens. Default 15 minutes.
    public let waitingRoomLeadMinutes: Int
    /// How long before a scheduled end facilitators are reminded. Default 10 minutes.
    public let reminderBeforeEndMinutes: Int

    /// A checked schedule; throws the first problem found, in the order of ``ScheduleError``'s cases.
    public init(
        slots: [ScheduleSlot], timeZone identifier: String, startDate: LocalDate, endDate: LocalDate,
        exceptions: [ScheduleException] = [], waitingRoomLeadMinutes: Int = 15, reminderBeforeEndMinutes: Int = 10,
        database: any TimeZoneDatabase
    ) throws(ScheduleError) {
        guard !slots.isEmpty else { throw .noSlots }
        for (index, slot) in slots.enumerated() {
            guard !slot.weekdays.isEmpty else { throw .emptyWeekdays(slot: index) }
            guard slot.start < slot.end else { throw .slotEndNotAfterStart(slot: index) }
        }
        for first in slots.indices {
            for second in slots.indices where second > first && slots[first].overlaps(slots[second]) {
                let day = slots[first].weekdays.intersection(slots[second].weekdays).min() ?? .monday
                throw .overlappingSlots(first: first, second: second, weekday: day)
            }
        }
        guard let zone = ProgramTimeZone(identifier: identifier, database: database) else {
            throw .unknownTimeZone(identifier)
        }
        guard startDate <= endDate else { throw .programEndsBeforeStart }
        for minutes in [waitingRoomLeadMinutes, reminderBeforeEndMinutes] where !(0...1440).contains(minutes) {
            throw .leadOutOfRange(minutes: minutes)
        }
        self.slots = slots
        self.timeZone = zone
        self.startDate = startDate
        self.endDate = endDate
        self.exceptions = exceptions
        self.waitingRoomLeadMinutes = waitingRoomLeadMinutes
        self.reminderBeforeEndMinutes = reminderBeforeEndMinutes
        for (index, exception) in exceptions.enumerated() { try check(exception, index: index) }
        try checkExceptionsTogether()
    }

    /// No two exceptions change the same session, and no moved session overlaps another session of its new day.
    private func checkExceptionsTogether() throws(ScheduleError) {
        func sessions(_ exception: ScheduleException) -> (LocalDate, LocalTime?) {
            switch exception {
            case .cancelled(let date, let start): (date, start)
            case .moved(let date, let start, _, _, _): (date, start)
            }
        }
        for first in exceptions.indices {
            for second in exceptions.indices where second > first {
                let (a, b) = (sessions(exceptions[first]), sessions(exceptions[second]))
                if a.0 == b.0, a.1 == nil || b.1 == nil || a.1 == b.1 {
                    throw .conflictingExceptions(first: first, second: second)
                }
            }
        }
        for (index, exception) in exceptions.enumerated() {
            guard case .moved(_, _, let toDate, let toStart, let toEnd) = exception else { continue }
            let others = occurrences(on: toDate).filter { $0.localStart != toStart || $0.localEnd != toEnd }
            let clash = others.contains { $0.localStart < toEnd && toStart < $0.localEnd }
            let twins = occurrences(on: toDate).filter { $0.localStart == toStart }.count > 1
            if clash || twins { throw .movedSessionOverlaps(exception: index) }
        }
    }

    private func check(_ exception: ScheduleException, index: Int) throws(ScheduleError) {
        let range = startDate...endDate
        switch exception {
        case .cancelled(let date, let start):
            guard range.contains(date) else { throw .exceptionOutsideProgram(exception: index) }
            guard regularSlots(on: date).contains(where: { start == nil || $0.start == start }) else {
                throw .exceptionMatchesNoSession(exception: index)
            }
        case .moved(let date, let start, let toDate, let toStart, let toEnd):
            guard range.contains(date), range.contains(toDate) else {
                throw .exceptionOutsideProgram(exception: index)
            }
            guard regularSlots(on: date).contains(where: { $0.start == start }) else {
                throw .exceptionMatchesNoSession(exception: index)
            }
            guard toStart < toEnd else { throw .movedSessionEndNotAfterStart(exception: index) }
        }
    }

    /// The weekly slots meeting on `date`'s weekday, earliest first (exceptions not applied).
    func regularSlots(on date: LocalDate) -> [ScheduleSlot] {
        slots.filter { $0.weekdays.contains(date.weekday) }.sorted { $0.start < $1.start }
    }
}
