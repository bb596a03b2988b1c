import ProgramCore
import Yams

extension RoomCatalogue {
    /// A room's `schedule:` as a checked ``Schedule``; `key` is `rooms[id].schedule.`.
    static func schedule(
        _ entry: ScheduleEntry, key: String, database: any TimeZoneDatabase
    ) throws(SettingsError) -> Schedule {
        var slots: [ScheduleSlot] = []
        for (index, slot) in entry.slots.enumerated() {
            let at = "\(key)slots[\(index)]."
            var days = Set<Weekday>()
            for name in slot.days {
                guard let day = Weekday(rawValue: name) else {
                    throw .outOfRange(at + "days", Weekday.allCases.map(\.rawValue).joined(separator: ", "))
                }
                days.insert(day)
            }
            slots.append(
                ScheduleSlot(
                    weekdays: days, start: try time(slot.start, at + "start"), end: try time(slot.end, at + "end")))
        }
        var exceptions: [ScheduleException] = []
        for (index, exception) in (entry.exceptions ?? []).enumerated() {
            exceptions.append(try self.exception(exception, key: "\(key)exceptions[\(index)]."))
        }
        let lead = entry.waitingRoomLeadMinutes ?? 15
        let reminder = entry.reminderBeforeEndMinutes ?? 10
        guard (0...1440).contains(lead) else { throw .outOfRange(key + "waitingRoomLeadMinutes", "0...1440") }
        guard (0...1440).contains(reminder) else { throw .outOfRange(key + "reminderBeforeEndMinutes", "0...1440") }
        let startDate = try date(entry.startDate, key + "startDate")
        let endDate = try date(entry.endDate, key + "endDate")
        do {
            return try Schedule(
                slots: slots, timeZone: entry.timeZone, startDate: startDate, endDate: endDate, exceptions: exceptions,
                waitingRoomLeadMinutes: lead, reminderBeforeEndMinutes: reminder, database: database)
        } catch {
            throw settingsError(error, key: key)
        }
    }

    private static func exception(_ entry: ExceptionEntry, key: String) throws(SettingsError) -> ScheduleException {
        let day = try date(entry.date, key + "date")
        let start = try entry.start.map { text throws(SettingsError) in try time(text, key + "start") }
        switch (entry.cancelled ?? false, entry.moveTo) {
        case (true, nil): return .cancelled(date: day, start: start)
        case (false, let move?):
            guard let start else { throw .badValue(key + "start", expected: "the moved session's start HH:MM") }
            return .moved(
                date: day, start: start, toDate: try date(move.date, key + "moveTo.date"),
                toStart: try time(move.start, key + "moveTo.start"), toEnd: try time(move.end, key + "moveTo.end"))
        case (true, _?), (false, nil):
            throw .badValue(key + "cancelled", expected: "either cancelled: true or moveTo: {date, start, end}")
        }
    }

    /// The key a ``ScheduleError`` points at, and what it allows.
    private static func settingsError(_ error: ScheduleError, key: String) -> SettingsError {
        switch error {
        case .noSlots: .outOfRange(key + "slots", "at least one slot")
        case .emptyWeekdays(let slot): .outOfRange(key + "slots[\(slot)].days", "at least one weekday")
        case .slotEndNotAfterStart(let slot):
            .outOfRange(key + "slots[\(slot)].end", "after start, the same day (\(error))")
        case .overlappingSlots(_, let second, _): .outOfRange(key + "slots[\(second)]", "no overlap (\(error))")
        case .unknownTimeZone: .outOfRange(key + "timeZone", "an IANA time zone such as America/Los_Angeles")
        case .programEndsBeforeStart: .outOfRange(key + "endDate", "on or after startDate")
        case .exceptionOutsideProgram(let index):
            .outOfRange(key + "exceptions[\(index)]", "dates within startDate...endDate")
        case .exceptionMatchesNoSession(let index):
            .outOfRange(key + "exceptions[\(index)]", "a date (and start) when a session is scheduled")
        case .movedSessionEndNotAfterStart(let index):
            .outOfRange(key + "exceptions[\(index)].moveTo.end", "after moveTo.start")
        case .leadOutOfRange: .outOfRange(key + "waitingRoomLeadMinutes", "0...1440")
        case .conflictingExceptions(_, let second):
            .outOfRange(key + "exceptions[\(second)]", "one exception per session (\(error))")
        case .movedSessionOverlaps(let index):
            .outOfRange(key + "exceptions[\(index)].moveTo", "hours free of other sessions that day")
        }
    }

    /// The first key under a room's `schedule:` or `roster:` that the reader does not know.
    static func checkProgramKeys(_ text: String, path: String) throws(SettingsError) {
        guard let top = (try? Yams.load(yaml: text)) as? [AnyHashable: Any] else { return }
        for case let room as [AnyHashable: Any] in top["rooms"] as? [Any] ?? [] {
            let name = "rooms[\(room["id"].map { "\($0)" } ?? "?")]."
            if let schedule = room["schedule"] as? [AnyHashable: Any] {
                try checkKeys(schedule, known: scheduleKeys, at: name + "schedule.", path: path)
                for (index, slot) in (schedule["slots"] as? [Any] ?? []).enumerated() {
                    guard let slot = slot as? [AnyHashable: Any] else { continue }
                    try checkKeys(slot, known: slotKeys, at: name + "schedule.slots[\(index)].", path: path)
                }
                for (index, item) in (schedule["exceptions"] as? [Any] ?? []).enumerated() {
                    guard let item = item as? [AnyHashable: Any] else { continue }
                    let at = name + "schedule.exceptions[\(index)]."
                    try checkKeys(item, known: exceptionKeys, at: at, path: path)
                    if let move = item["moveTo"] as? [AnyHashable: Any] {
                        try checkKeys(move, known: moveKeys, at: at + "moveTo.", path: path)
                    }
                }
            }
            for (index, item) in (room["roster"] as? [Any] ?? []).enumerated() {
                guard let item = item as? [AnyHashable: Any] else { continue }
                try checkKeys(item, known: rosterKeys, at: name + "roster[\(index)].", path: path)
            }
        }
    }

    private static func checkKeys(
        _ mapping: [AnyHashable: Any], known: [String], at prefix: String, path: String
    ) throws(SettingsError) {
        for key in mapping.keys.map({ "\($0.base)" }).sorted() where !known.contains(key) {
            let nearest = known.min { ServerSettings.editDistance(key, $0) < ServerSettings.editDistance(key, $1) }
            let suggestion = nearest.flatMap { ServerSettings.editDistance(key, $0) <= 2 ? prefix + $0 : nil }
            throw .unknownKey(prefix + key, source: path, suggestion: suggestion)
        }
    }

    private static func names(_ value: Any) -> [String] { Mirror(reflecting: value).children.compactMap(\.label) }
    static var scheduleKeys: [String] { names(ScheduleEntry(timeZone: "", startDate: "", endDate: "", slots: [])) }
    static var slotKeys: [String] { names(SlotEntry(days: [], start: "", end: "")) }
    static var exceptionKeys: [String] { names(ExceptionEntry(date: "")) }
    static var moveKeys: [String] { names(MoveEntry(date: "", start: "", end: "")) }
    static var rosterKeys: [String] { names(RosterEntry(member: "", enrolled: "")) }
}
