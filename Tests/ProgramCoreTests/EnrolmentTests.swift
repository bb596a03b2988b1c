import ProgramCore
import Testing

@Suite("Enrolment: who is expected at a session")
struct EnrolmentTests {
    @Test func expectedFromEnrolmentUntilTheDayBeforeDischarge() throws {
        let roster = try Roster([
            Enrolment(member: "a", enrolled: Fixture.day("2026-03-02")),
            Enrolment(member: "b", enrolled: Fixture.day("2026-03-11"), discharged: nil),
            Enrolment(member: "c", enrolled: Fixture.day("2026-03-02"), discharged: Fixture.day("2026-03-11")),
        ])
        let schedule = try Fixture.eveningProgram()
        let monday = try #require(schedule.occurrences(on: Fixture.day("2026-03-09")).first)
        let wednesday = try #require(schedule.occurrences(on: Fixture.day("2026-03-11")).first)
        #expect(roster.expected(at: monday) == ["a", "c"])
        #expect(roster.expected(at: wednesday) == ["a", "b"])
    }

    @Test func aRosterIsRefusedWithThePreciseProblem() {
        let day = Fixture.day("2026-03-02")
        #expect(throws: RosterError.emptyMember(entry: 1)) {
            try Roster([Enrolment(member: "a", enrolled: day), Enrolment(member: "", enrolled: day)])
        }
        #expect(throws: RosterError.duplicateMember(entry: 1)) {
            try Roster([Enrolment(member: "a", enrolled: day), Enrolment(member: "a", enrolled: day)])
        }
        #expect(throws: RosterError.dischargedBeforeEnrolled(entry: 0)) {
            try Roster([Enrolment(member: "a", enrolled: day, discharged: Fixture.day("2026-03-01"))])
        }
    }
}
