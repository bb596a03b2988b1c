import ProgramCore
import Testing

@Suite("The sessions a facilitator may record absences for")
struct AbsenceWindowTests {
    @Test func sessionsWithinTwoWeeksEitherWayWithTheMembersExpectedAtEach() throws {
        let schedule = try Fixture.eveningProgram()
        let roster = try Roster([
            Enrolment(member: "a", enrolled: Fixture.day("2026-03-02")),
            Enrolment(member: "b", enrolled: Fixture.day("2026-03-11")),
            Enrolment(member: "c", enrolled: Fixture.day("2026-03-02"), discharged: Fixture.day("2026-03-11")),
        ])
        // Tuesday 24 March, 12:00 in Los Angeles: the window runs 10 March to 7 April.
        let window = schedule.absenceWindow(roster: roster, at: Fixture.utc("2026-03-24T19:00:00Z"))
        let days = Set(window.keys.map { String($0.prefix(10)) })
        #expect(days.min() == "2026-03-11")
        #expect((days.max() ?? "") <= "2026-04-07")
        #expect(!days.contains("2026-03-09"), "more than 14 days back")
        #expect(window["2026-03-11T18:00"] == ["a", "b"], "c was discharged that day")
        #expect(window["2026-03-25T18:00"] == ["a", "b"])
    }

    @Test func theProgramDatesBoundTheWindowAndEmptySessionsAreLeftOut() throws {
        let schedule = try Fixture.eveningProgram()
        let late = try Roster([Enrolment(member: "z", enrolled: Fixture.day("2026-03-12"))])
        let window = schedule.absenceWindow(roster: late, at: Fixture.utc("2026-03-03T01:00:00Z"))
        #expect(window.keys.allSatisfy { $0 >= "2026-03-12" }, "no one expected before z's enrolment")
        #expect(window.keys.allSatisfy { $0 >= schedule.startDate.description })
        let none = schedule.absenceWindow(roster: try Roster([]), at: Fixture.utc("2026-03-10T01:00:00Z"))
        #expect(none.isEmpty)
    }
}
