import ProgramCore
import Testing

/// One member at the Monday session of the evening program (18:00–21:00 PDT,
/// 2026-03-10T01:00Z–04:00Z; waiting room from 00:45Z), with the default rules.
@Suite("Attendance against the plan: one member, one session")
struct AttendancePlanTests {
    private func outcome(_ stays: [(String, String)], reason: AbsenceReason? = nil) throws -> SessionOutcome {
        let schedule = try Fixture.eveningProgram()
        let sessions =
            schedule.occurrences(on: Fixture.day("2026-03-09")) + schedule.occurrences(on: Fixture.day("2026-03-11"))
        let roster = try Roster([Enrolment(member: "m", enrolled: Fixture.day("2026-03-02"))])
        let plan = AttendancePlan(
            occurrences: sessions, roster: roster,
            stays: ["m": stays.map { Stay(start: instant($0.0), end: instant($0.1)) }],
            absences: reason.map { [AbsenceNote(member: "m", occurrence: "2026-03-09T18:00", reason: $0)] } ?? [])
        return try #require(plan.sessions.first)
    }

    /// `HH:MM` or `HH:MM:SS` UTC on 2026-03-10.
    private func instant(_ time: String) -> Instant {
        Fixture.utc("2026-03-10T\(time)\(time.count == 5 ? ":00" : "")Z")
    }

    @Test func earlyArrivalCountsFromTheWaitingRoomsOpeningOnly() throws {
        let result = try outcome([("00:30", "04:00")])
        #expect(result.status == .attended)
        #expect(result.attendedMinutes == 195)
        #expect(result.firstJoined == Fixture.utc("2026-03-10T00:45:00Z"))
        #expect(result.lateMinutes == 0)
    }

    @Test func lateArrivalBeyondTheGraceIsCountedInWholeMinutes() throws {
        #expect(try outcome([("01:05", "04:00")]).lateMinutes == 0)
        let late = try outcome([("01:05:30", "04:00")])  // 5.5 minutes: beyond the grace, 5 whole minutes late
        #expect(late.lateMinutes == 5)
        #expect(late.attendedMinutes == 174)
        let later = try outcome([("01:17", "04:00")])
        #expect(later.lateMinutes == 17)
        #expect(later.isLate)
    }

    @Test func overrunIsNotCutOffAndEarlyLeaveIsMeasuredFromTheScheduledEnd() throws {
        let overrun = try outcome([("01:00", "04:40")])
        #expect(overrun.attendedMinutes == 220)
        #expect(overrun.earlyLeaveMinutes == 0)
        let early = try outcome([("01:00", "03:20")])
        #expect(early.earlyLeaveMinutes == 40)
        #expect(early.leftEarly)
        #expect(try outcome([("01:00", "03:56")]).earlyLeaveMinutes == 0)
    }

    @Test func gapsAfterTheStartAreTimeAway() throws {
        let result = try outcome([("00:50", "00:55"), ("01:00", "02:00"), ("02:20", "04:00")])
        #expect(result.attendedMinutes == 165)
        #expect(result.awayMinutes == 20)  // the 5 minutes before the start are not time away
    }

    @Test func absenceKeepsTheRecordedReason() throws {
        #expect(try outcome([]).status == .absent(nil))
        #expect(try outcome([], reason: .excused).status == .absent(.excused))
        #expect(try outcome([("01:00", "04:00")], reason: .excused).status == .attended)
        #expect(AttendanceStatus.absent(nil).code == "absent")
        #expect(AttendanceStatus.absent(.rescheduled).code == "rescheduled")
    }
}
