import ProgramCore
import Testing

@Suite("Scheduled sessions, the waiting room's opening and exceptions")
struct OccurrenceTests {
    @Test func weeklySlotsBecomeSessionsInTheClinicsTimeZone() throws {
        let schedule = try Fixture.eveningProgram()
        let week = schedule.occurrences(
            from: Fixture.utc("2026-03-09T00:00:00Z"), to: Fixture.utc("2026-03-16T00:00:00Z"))
        #expect(week.map(\.id) == ["2026-03-09T18:00", "2026-03-11T18:00", "2026-03-12T18:00"])
        let monday = try #require(week.first)
        #expect(monday.start == Fixture.utc("2026-03-10T01:00:00Z"))  // 18:00 PDT
        #expect(monday.end == Fixture.utc("2026-03-10T04:00:00Z"))
        #expect(monday.opensAt == Fixture.utc("2026-03-10T00:45:00Z"))
        #expect(monday.remindAt == Fixture.utc("2026-03-10T03:50:00Z"))
        #expect(monday.scheduledMinutes == 180)
        #expect(schedule.occurrences(on: Fixture.day("2026-03-10")).isEmpty)
    }

    @Test func theWaitingRoomOpensAtTheLeadAndStaysOpenUntilTheScheduledEnd() throws {
        let schedule = try Fixture.eveningProgram()
        #expect(!schedule.isWaitingRoomOpen(at: Fixture.utc("2026-03-10T00:44:59Z")))
        #expect(schedule.openOccurrence(at: Fixture.utc("2026-03-10T00:45:00Z"))?.id == "2026-03-09T18:00")
        #expect(schedule.isWaitingRoomOpen(at: Fixture.utc("2026-03-10T03:59:59Z")))
        #expect(!schedule.isWaitingRoomOpen(at: Fixture.utc("2026-03-10T04:00:00Z")))
    }

    @Test func theNextSessionAfterAnInstant() throws {
        let schedule = try Fixture.eveningProgram()
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-01-01T00:00:00Z"))?.id == "2026-03-02T18:00")
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-03-10T01:00:00Z"))?.id == "2026-03-11T18:00")
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-03-10T00:59:59Z"))?.id == "2026-03-09T18:00")
        // The last session is Thursday 2026-04-09; nothing follows it.
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-04-10T01:00:00Z")) == nil)
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-04-10T00:59:00Z"))?.id == "2026-04-09T18:00")
    }

    @Test func holidaysAndMovedSessions() throws {
        let schedule = try Fixture.eveningProgram(exceptions: [
            .cancelled(date: Fixture.day("2026-03-11"), start: nil),
            .moved(
                date: Fixture.day("2026-03-12"), start: Fixture.time("18:00"), toDate: Fixture.day("2026-03-13"),
                toStart: Fixture.time("10:00"), toEnd: Fixture.time("13:00")),
        ])
        let week = schedule.occurrences(
            from: Fixture.utc("2026-03-09T00:00:00Z"), to: Fixture.utc("2026-03-16T00:00:00Z"))
        #expect(week.map(\.id) == ["2026-03-09T18:00", "2026-03-13T10:00"])
        #expect(week.last?.movedFrom == Fixture.day("2026-03-12"))
        #expect(week.last?.start == Fixture.utc("2026-03-13T17:00:00Z"))
        // On the holiday, the next session is the Friday one, not Wednesday's.
        #expect(schedule.nextOccurrence(after: Fixture.utc("2026-03-11T20:00:00Z"))?.id == "2026-03-13T10:00")
        #expect(!schedule.isWaitingRoomOpen(at: Fixture.utc("2026-03-12T01:30:00Z")))
    }

    @Test func cancellingOneSlotOfADayKeepsTheOther() throws {
        let schedule = try Schedule(
            slots: [Fixture.slot([.monday], "09:00", "12:00"), Fixture.slot([.monday], "13:00", "15:00")],
            timeZone: "Europe/Berlin", startDate: Fixture.day("2026-03-02"), endDate: Fixture.day("2026-03-09"),
            exceptions: [.cancelled(date: Fixture.day("2026-03-02"), start: Fixture.time("09:00"))],
            database: Fixture.database)
        #expect(schedule.occurrences(on: Fixture.day("2026-03-02")).map(\.id) == ["2026-03-02T13:00"])
        #expect(schedule.occurrences(on: Fixture.day("2026-03-09")).count == 2)
    }
}

@Suite("What the server tells arrivals and when it reminds facilitators")
struct ArrivalAndReminderTests {
    @Test func theNextReminderIsTenMinutesBeforeEachScheduledEnd() throws {
        let schedule = try Fixture.eveningProgram()
        // Before Monday's session, during it, after its reminder, after its end.
        #expect(
            schedule.nextReminder(after: Fixture.utc("2026-03-09T20:00:00Z"))?.remindAt
                == Fixture.utc("2026-03-10T03:50:00Z"))
        #expect(
            schedule.nextReminder(after: Fixture.utc("2026-03-10T02:00:00Z"))?.remindAt
                == Fixture.utc("2026-03-10T03:50:00Z"))
        #expect(schedule.nextReminder(after: Fixture.utc("2026-03-10T03:50:00Z"))?.id == "2026-03-11T18:00")
        #expect(
            schedule.nextReminder(after: Fixture.utc("2026-03-10T05:00:00Z"))?.remindAt
                == Fixture.utc("2026-03-12T03:50:00Z"))
        #expect(schedule.nextReminder(after: Fixture.utc("2026-04-10T04:00:00Z")) == nil)
    }

    @Test func theArrivalNoticeAndHowLongItHolds() throws {
        let schedule = try Fixture.eveningProgram()
        let early = schedule.arrivalNotice(at: Fixture.utc("2026-03-09T20:00:00Z"))
        #expect(early.session?.id == "2026-03-09T18:00" && !early.open)
        #expect(early.validUntil == Fixture.utc("2026-03-10T00:45:00Z"))
        let open = schedule.arrivalNotice(at: Fixture.utc("2026-03-10T00:45:00Z"))
        #expect(open.session?.id == "2026-03-09T18:00" && open.open)
        #expect(open.validUntil == Fixture.utc("2026-03-10T04:00:00Z"))
        let overrun = schedule.arrivalNotice(at: Fixture.utc("2026-03-10T04:10:00Z"))
        #expect(overrun.session?.id == "2026-03-11T18:00" && !overrun.open)
        let over = schedule.arrivalNotice(at: Fixture.utc("2026-04-11T00:00:00Z"))
        #expect(over.session == nil && over.validUntil == nil)
    }
}
