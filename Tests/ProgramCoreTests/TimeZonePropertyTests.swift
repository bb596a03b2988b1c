import ProgramCore
import Testing

/// Every day of 2026 in zones with different daylight-saving rules (north and
/// south, a 30-minute change, a quarter-hour offset, none): each slot happens
/// exactly once a day, at its wall time unless that time is skipped, and
/// never ends before it starts.
@Suite("Sessions keep their wall time through a year of time zone rules")
struct TimeZonePropertyTests {
    static let zones = [
        "America/Los_Angeles", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kathmandu",
        "America/St_Johns", "UTC",
    ]

    @Test(arguments: zones)
    func everyDayOfTheYear(zone: String) throws {
        let slots = [
            Fixture.slot(Set(Weekday.allCases), "02:15", "03:30"),
            Fixture.slot(Set(Weekday.allCases), "18:00", "21:00"),
        ]
        let schedule = try Schedule(
            slots: slots, timeZone: zone, startDate: Fixture.day("2026-01-01"), endDate: Fixture.day("2026-12-31"),
            database: Fixture.database)
        var date = schedule.startDate
        var days = 0
        var shifted = 0
        while date <= schedule.endDate {
            let sessions = schedule.occurrences(on: date)
            #expect(sessions.map(\.localStart) == slots.map(\.start), "\(zone) \(date)")
            for session in sessions {
                #expect(session.end > session.start, "\(zone) \(session.id)")
                #expect(session.opensAt == session.start.adding(minutes: -15))
                let wall = schedule.timeZone.wallClock(at: session.start)
                #expect(wall.date == date, "\(zone) \(session.id)")
                let shift = wall.minutesAfterMidnight - session.localStart.minutesAfterMidnight
                // At its wall time, or (in a skipped hour or half hour) shifted forward by the gap.
                #expect(
                    shift == 0 || (shift > 0 && shift <= 60 && isSkipped(session, in: schedule)),
                    "\(zone) \(session.id)")
                if shift != 0 { shifted += 1 }
            }
            date = date.adding(days: 1)
            days += 1
        }
        #expect(days == 365)
        // 02:15 is skipped once a year where clocks spring forward at 02:00 (not in Kathmandu or UTC).
        #expect(shifted == (["Asia/Kathmandu", "UTC"].contains(zone) ? 0 : 1), "\(zone)")
    }

    /// The session's local start does not exist that day: no instant in the preceding two hours reads it.
    private func isSkipped(_ session: Occurrence, in schedule: Schedule) -> Bool {
        let target = session.localStart.minutesAfterMidnight
        for minute in 0...180 {
            let wall = schedule.timeZone.wallClock(at: session.start.adding(minutes: -minute))
            if wall.date == session.date && wall.minutesAfterMidnight == target { return false }
        }
        return true
    }
}
