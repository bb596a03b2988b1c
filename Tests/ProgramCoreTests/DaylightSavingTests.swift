import ProgramCore
import Testing

/// Los Angeles springs forward on 2026-03-08 (02:00 PST becomes 03:00 PDT) and
/// falls back on 2026-11-01 (02:00 PDT becomes 01:00 PST), by the platform's tz database.
@Suite("Sessions across daylight-saving changes, both directions")
struct DaylightSavingTests {
    private func sundays(_ slot: ScheduleSlot, from: String, to: String) throws -> Schedule {
        try Schedule(
            slots: [slot], timeZone: "America/Los_Angeles", startDate: Fixture.day(from), endDate: Fixture.day(to),
            database: Fixture.database)
    }

    @Test func anEveningGroupKeepsItsLocalHourAcrossSpringForward() throws {
        let schedule = try sundays(Fixture.slot([.sunday], "18:00", "21:00"), from: "2026-03-01", to: "2026-03-08")
        let sessions =
            schedule.occurrences(on: Fixture.day("2026-03-01")) + schedule.occurrences(on: Fixture.day("2026-03-08"))
        #expect(sessions.map(\.start) == [Fixture.utc("2026-03-02T02:00:00Z"), Fixture.utc("2026-03-09T01:00:00Z")])
        #expect(sessions.map(\.scheduledMinutes) == [180, 180])
        #expect(sessions.last?.opensAt == Fixture.utc("2026-03-09T00:45:00Z"))
    }

    @Test func anEveningGroupKeepsItsLocalHourAcrossFallBack() throws {
        let schedule = try sundays(Fixture.slot([.sunday], "18:00", "21:00"), from: "2026-10-25", to: "2026-11-01")
        let starts = schedule.occurrences(
            from: Fixture.utc("2026-10-25T00:00:00Z"), to: Fixture.utc("2026-11-03T00:00:00Z")
        )
        .map(\.start)
        #expect(starts == [Fixture.utc("2026-10-26T01:00:00Z"), Fixture.utc("2026-11-02T02:00:00Z")])
    }

    /// 02:30 does not happen on 2026-03-08: it is read with the offset before
    /// the change (PST), which is 03:30 PDT. 02:15–02:45 keeps its 30 minutes;
    /// 02:30–03:00 (its end, 03:00 PDT, would come first) keeps its nominal 30 minutes from 03:30.
    @Test func aSlotInsideTheSpringForwardGapStartsAsFarAfterTheChange() throws {
        let inside = try sundays(Fixture.slot([.sunday], "02:15", "02:45"), from: "2026-03-08", to: "2026-03-08")
        let first = try #require(inside.occurrences(on: Fixture.day("2026-03-08")).first)
        #expect(first.start == Fixture.utc("2026-03-08T10:15:00Z"))  // 03:15 PDT
        #expect(first.end == Fixture.utc("2026-03-08T10:45:00Z"))
        let edge = try sundays(Fixture.slot([.sunday], "02:30", "03:00"), from: "2026-03-08", to: "2026-03-08")
        let second = try #require(edge.occurrences(on: Fixture.day("2026-03-08")).first)
        #expect(second.start == Fixture.utc("2026-03-08T10:30:00Z"))  // 03:30 PDT
        #expect(second.end == Fixture.utc("2026-03-08T11:00:00Z"))
        #expect(second.opensAt == Fixture.utc("2026-03-08T10:15:00Z"))
    }

    @Test func aSlotSpanningTheSpringForwardGapIsAnHourShorter() throws {
        let schedule = try sundays(Fixture.slot([.sunday], "01:00", "04:00"), from: "2026-03-08", to: "2026-03-08")
        let session = try #require(schedule.occurrences(on: Fixture.day("2026-03-08")).first)
        #expect(session.start == Fixture.utc("2026-03-08T09:00:00Z"))  // 01:00 PST
        #expect(session.end == Fixture.utc("2026-03-08T11:00:00Z"))  // 04:00 PDT
        #expect(session.scheduledMinutes == 120)
    }

    /// 01:30 happens twice on 2026-11-01 (PDT, then PST): the session takes
    /// place once, at the first (08:30Z); the day has one session, not two.
    @Test func aSlotInTheRepeatedHourHappensOnceAtTheFirstOccurrence() throws {
        let schedule = try sundays(Fixture.slot([.sunday], "01:30", "02:30"), from: "2026-11-01", to: "2026-11-01")
        let sessions = schedule.occurrences(
            from: Fixture.utc("2026-11-01T00:00:00Z"), to: Fixture.utc("2026-11-02T00:00:00Z"))
        #expect(sessions.count == 1)
        #expect(sessions.first?.start == Fixture.utc("2026-11-01T08:30:00Z"))  // 01:30 PDT
        #expect(sessions.first?.end == Fixture.utc("2026-11-01T10:30:00Z"))  // 02:30 PST
        #expect(sessions.first?.scheduledMinutes == 120)
        #expect(schedule.isWaitingRoomOpen(at: Fixture.utc("2026-11-01T08:15:00Z")))
        #expect(!schedule.isWaitingRoomOpen(at: Fixture.utc("2026-11-01T08:14:59Z")))
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-11-01T08:30:00Z")) == nil)
    }

    @Test func theWallClockOfAnInstantFollowsTheChange() throws {
        let zone = try #require(ProgramTimeZone(identifier: "America/Los_Angeles", database: Fixture.database))
        #expect(zone.wallClock(at: Fixture.utc("2026-03-08T09:59:00Z")).minutesAfterMidnight == 60 + 59)
        #expect(zone.wallClock(at: Fixture.utc("2026-03-08T10:00:00Z")).minutesAfterMidnight == 180)
        #expect(zone.date(at: Fixture.utc("2026-03-09T06:59:00Z")) == Fixture.day("2026-03-08"))
        #expect(zone.date(at: Fixture.utc("2026-03-09T07:00:00Z")) == Fixture.day("2026-03-09"))
        #expect(ProgramTimeZone(identifier: "Nowhere/Bogus", database: Fixture.database) == nil)
        #expect(zone.iso8601(Fixture.utc("2026-03-08T09:59:59Z")) == "2026-03-08T01:59:59-08:00")
        #expect(zone.iso8601(Fixture.utc("2026-03-08T10:00:00Z")) == "2026-03-08T03:00:00-07:00")
        #expect(zone.iso8601(Fixture.utc("2026-11-01T08:30:00Z")) == "2026-11-01T01:30:00-07:00")
        #expect(zone.iso8601(Fixture.utc("2026-11-01T09:30:00Z")) == "2026-11-01T01:30:00-08:00")
        let utc = try #require(ProgramTimeZone(identifier: "UTC", database: Fixture.database))
        #expect(utc.iso8601(Fixture.utc("1969-12-31T23:59:58Z")) == "1969-12-31T23:59:58Z")
    }
}
