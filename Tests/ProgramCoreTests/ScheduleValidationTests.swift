import ProgramCore
import Testing

@Suite("A schedule is refused with the precise problem")
struct ScheduleValidationTests {
    private func make(
        _ slots: [ScheduleSlot], zone: String = "America/Los_Angeles", from: String = "2026-03-02",
        to: String = "2026-04-10", exceptions: [ScheduleException] = [], lead: Int = 15
    ) throws(ScheduleError) -> Schedule {
        try Schedule(
            slots: slots, timeZone: zone, startDate: Fixture.day(from), endDate: Fixture.day(to),
            exceptions: exceptions, waitingRoomLeadMinutes: lead, database: Fixture.database)
    }

    private let evening = Fixture.slot([.monday, .wednesday], "18:00", "21:00")

    @Test func eachProblemHasItsError() {
        #expect(throws: ScheduleError.noSlots) { try make([]) }
        #expect(throws: ScheduleError.emptyWeekdays(slot: 1)) {
            try make([evening, Fixture.slot([], "09:00", "12:00")])
        }
        #expect(throws: ScheduleError.slotEndNotAfterStart(slot: 0)) {
            try make([Fixture.slot([.monday], "21:00", "18:00")])
        }
        #expect(throws: ScheduleError.slotEndNotAfterStart(slot: 0)) {
            try make([Fixture.slot([.monday], "18:00", "18:00")])
        }
        #expect(throws: ScheduleError.overlappingSlots(first: 0, second: 1, weekday: .wednesday)) {
            try make([evening, Fixture.slot([.wednesday, .friday], "20:00", "22:00")])
        }
        #expect(throws: ScheduleError.unknownTimeZone("America/Springfield")) {
            try make([evening], zone: "America/Springfield")
        }
        #expect(throws: ScheduleError.programEndsBeforeStart) {
            try make([evening], from: "2026-04-10", to: "2026-03-02")
        }
        #expect(throws: ScheduleError.leadOutOfRange(minutes: -5)) { try make([evening], lead: -5) }
    }

    @Test func touchingSlotsAndSlotsOnOtherDaysDoNotOverlap() throws {
        _ = try make([evening, Fixture.slot([.monday], "21:00", "22:00"), Fixture.slot([.tuesday], "18:30", "20:00")])
    }

    @Test func exceptionsMustNameASessionInsideTheProgram() {
        let monday = Fixture.day("2026-03-09")
        #expect(throws: ScheduleError.exceptionOutsideProgram(exception: 0)) {
            try make([evening], exceptions: [.cancelled(date: Fixture.day("2026-05-04"), start: nil)])
        }
        #expect(throws: ScheduleError.exceptionOutsideProgram(exception: 1)) {
            try make(
                [evening],
                exceptions: [
                    .cancelled(date: monday, start: nil),
                    .moved(
                        date: Fixture.day("2026-03-11"), start: Fixture.time("18:00"),
                        toDate: Fixture.day("2026-06-01"),
                        toStart: Fixture.time("18:00"), toEnd: Fixture.time("21:00")),
                ])
        }
        #expect(throws: ScheduleError.exceptionMatchesNoSession(exception: 0)) {
            try make([evening], exceptions: [.cancelled(date: Fixture.day("2026-03-10"), start: nil)])
        }
        #expect(throws: ScheduleError.exceptionMatchesNoSession(exception: 0)) {
            try make([evening], exceptions: [.cancelled(date: monday, start: Fixture.time("09:00"))])
        }
        #expect(throws: ScheduleError.movedSessionEndNotAfterStart(exception: 0)) {
            try make(
                [evening],
                exceptions: [
                    .moved(
                        date: monday, start: Fixture.time("18:00"), toDate: Fixture.day("2026-03-10"),
                        toStart: Fixture.time("18:00"), toEnd: Fixture.time("17:00"))
                ])
        }
    }

    @Test func errorsReadAsOneLineNamingTheProblem() {
        #expect(
            ScheduleError.overlappingSlots(first: 0, second: 2, weekday: .friday).description
                == "slots 0 and 2 overlap on friday")
        #expect(ScheduleError.unknownTimeZone("Mars/Base").description.contains("Mars/Base"))
    }

    @Test func exceptionsMayNotConflictOrMoveOntoAnotherSession() {
        let monday = Fixture.day("2026-03-09")
        let six = Fixture.time("18:00")
        #expect(throws: ScheduleError.conflictingExceptions(first: 0, second: 1)) {
            try make(
                [evening],
                exceptions: [
                    .cancelled(date: monday, start: nil),
                    .moved(
                        date: monday, start: six, toDate: Fixture.day("2026-03-10"), toStart: six,
                        toEnd: Fixture.time("21:00")),
                ])
        }
        #expect(throws: ScheduleError.conflictingExceptions(first: 0, second: 1)) {
            try make(
                [evening], exceptions: [.cancelled(date: monday, start: six), .cancelled(date: monday, start: nil)])
        }
        // Monday's session onto Wednesday evening, where a session already is.
        #expect(throws: ScheduleError.movedSessionOverlaps(exception: 0)) {
            try make(
                [evening],
                exceptions: [
                    .moved(
                        date: monday, start: six, toDate: Fixture.day("2026-03-11"), toStart: Fixture.time("20:00"),
                        toEnd: Fixture.time("22:00"))
                ])
        }
        #expect(throws: ScheduleError.movedSessionOverlaps(exception: 0)) {
            try make(
                [evening],
                exceptions: [
                    .moved(
                        date: monday, start: six, toDate: Fixture.day("2026-03-11"), toStart: six,
                        toEnd: Fixture.time("21:00"))
                ])
        }
        // Onto Wednesday morning, or later the same Monday: fine.
        #expect(throws: Never.self) {
            try make(
                [evening],
                exceptions: [
                    .moved(
                        date: monday, start: six, toDate: Fixture.day("2026-03-11"), toStart: Fixture.time("09:00"),
                        toEnd: Fixture.time("12:00"))
                ])
        }
        #expect(throws: Never.self) {
            try make(
                [evening],
                exceptions: [
                    .moved(
                        date: monday, start: six, toDate: monday, toStart: Fixture.time("19:00"),
                        toEnd: Fixture.time("22:00"))
                ])
        }
    }
}
