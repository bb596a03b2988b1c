import Foundation
import ProgramCore

/// The platform's tz database through Foundation, as the server reads it
/// (RoomServer's `SystemTimeZoneDatabase`); the tests use the real database so
/// the daylight-saving changes they check are the real ones.
struct SystemTimeZones: TimeZoneDatabase {
    func secondsFromUTC(zone identifier: String, at instant: Instant) -> Int? {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000))
    }
}

/// Small constructors so each test reads like its table.
enum Fixture {
    static let database = SystemTimeZones()

    /// `2026-03-10T01:00:00Z` as an instant.
    static func utc(_ text: String) -> Instant {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) else { fatalError("bad instant \(text)") }
        return Instant(millisecondsSinceEpoch: Int64(date.timeIntervalSince1970 * 1000))
    }

    /// `YYYY-MM-DD`.
    static func day(_ text: String) -> LocalDate {
        guard let date = LocalDate(parsing: text) else { fatalError("bad date \(text)") }
        return date
    }

    /// `HH:MM`.
    static func time(_ text: String) -> LocalTime {
        guard let time = LocalTime(parsing: text) else { fatalError("bad time \(text)") }
        return time
    }

    /// A slot on `days` from `start` to `end`.
    static func slot(_ days: Set<Weekday>, _ start: String, _ end: String) -> ScheduleSlot {
        ScheduleSlot(weekdays: days, start: time(start), end: time(end))
    }

    /// Monday, Wednesday and Thursday 18:00–21:00 in Los Angeles, in March and April 2026.
    static func eveningProgram(exceptions: [ScheduleException] = []) throws -> Schedule {
        try Schedule(
            slots: [slot([.monday, .wednesday, .thursday], "18:00", "21:00")], timeZone: "America/Los_Angeles",
            startDate: day("2026-03-02"), endDate: day("2026-04-10"), exceptions: exceptions, database: database)
    }
}
