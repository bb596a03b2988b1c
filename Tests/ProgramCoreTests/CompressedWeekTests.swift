import ProgramCore
import Testing

/// A week of the evening program (Monday, Wednesday, Thursday 18:00–21:00
/// PDT, 2026-03-09 to 2026-03-12) with eight enrolled members, computed and
/// compared with a table worked out by hand. Default rules: 5 minutes' grace
/// either end, waiting room 15 minutes ahead, 9–20 hours a week.
@Suite("A compressed week: three sessions, eight members, against a hand-computed table")
struct CompressedWeekTests {
    /// Local wall time in Los Angeles that week (PDT, UTC−7).
    private static func at(_ day: String, _ time: String) -> Instant {
        Fixture.utc("2026-03-\(day)T\(time)\(time.count == 5 ? ":00" : "")-07:00")
    }

    private static func stay(_ day: String, _ from: String, _ to: String) -> Stay {
        Stay(start: at(day, from), end: at(day, to))
    }

    private static let stays: [String: [Stay]] = [
        // Every session on time, start to end.
        "m1": [stay("09", "18:00", "21:00"), stay("11", "18:00", "21:00"), stay("12", "18:00", "21:00")],
        // Early every time; on Thursday before the waiting room opens (17:45), which counts from 17:45.
        "m2": [stay("09", "17:50", "21:00"), stay("11", "17:50", "21:00"), stay("12", "17:40", "21:00")],
        // 12 minutes late on Monday; 4 minutes (within the grace) on Wednesday.
        "m3": [stay("09", "18:12", "21:00"), stay("11", "18:04", "21:00"), stay("12", "18:00", "21:00")],
        // Excused on Wednesday; Thursday's group runs 25 minutes over, and so does m4.
        "m4": [stay("09", "18:00", "21:00"), stay("12", "18:00", "21:25")],
        // Leaves at 20:30 on Monday; steps out 19:10–19:25 on Wednesday; misses Thursday with no reason given.
        "m5": [stay("09", "18:00", "20:30"), stay("11", "18:00", "19:10"), stay("11", "19:25", "21:00")],
        // Discharged on Wednesday: only Monday is expected; a visit on Wednesday is not part of the plan.
        "m6": [stay("09", "18:00", "21:00"), stay("11", "18:00", "18:30")],
        // Enrolled on Wednesday; unexcused on Thursday.
        "m7": [stay("11", "18:00", "21:00")],
        // Rescheduled on Monday, unexcused on Wednesday; 40 seconds on Thursday is not attendance.
        "m8": [stay("12", "18:20:00", "18:20:40")],
    ]

    private static let notes: [AbsenceNote] = [
        AbsenceNote(member: "m4", occurrence: "2026-03-11T18:00", reason: .excused),
        AbsenceNote(member: "m7", occurrence: "2026-03-12T18:00", reason: .unexcused),
        AbsenceNote(member: "m8", occurrence: "2026-03-09T18:00", reason: .rescheduled),
        AbsenceNote(member: "m8", occurrence: "2026-03-11T18:00", reason: .unexcused),
    ]

    /// session, member, status, minutes attended, late, early leave, away.
    private static let expectedSessions = """
        2026-03-09T18:00 m1 attended 180 0 0 0
        2026-03-09T18:00 m2 attended 190 0 0 0
        2026-03-09T18:00 m3 attended 168 12 0 0
        2026-03-09T18:00 m4 attended 180 0 0 0
        2026-03-09T18:00 m5 attended 150 0 30 0
        2026-03-09T18:00 m6 attended 180 0 0 0
        2026-03-09T18:00 m8 rescheduled 0 0 0 0
        2026-03-11T18:00 m1 attended 180 0 0 0
        2026-03-11T18:00 m2 attended 190 0 0 0
        2026-03-11T18:00 m3 attended 176 0 0 0
        2026-03-11T18:00 m4 excused 0 0 0 0
        2026-03-11T18:00 m5 attended 165 0 0 15
        2026-03-11T18:00 m7 attended 180 0 0 0
        2026-03-11T18:00 m8 unexcused 0 0 0 0
        2026-03-12T18:00 m1 attended 180 0 0 0
        2026-03-12T18:00 m2 attended 195 0 0 0
        2026-03-12T18:00 m3 attended 180 0 0 0
        2026-03-12T18:00 m4 attended 205 0 0 0
        2026-03-12T18:00 m5 absent 0 0 0 0
        2026-03-12T18:00 m7 unexcused 0 0 0 0
        2026-03-12T18:00 m8 absent 0 0 0 0
        """

    /// member, week, expected, attended, days, scheduled minutes, attended minutes, late, early, away,
    /// excused/unexcused/rescheduled/unrecorded, below 9 h, above 20 h.
    private static let expectedWeeks = """
        m1 2026-W11 3 3 3 540 540 0 0 0 0/0/0/0 false false
        m2 2026-W11 3 3 3 540 575 0 0 0 0/0/0/0 false false
        m3 2026-W11 3 3 3 540 524 1 0 0 0/0/0/0 true false
        m4 2026-W11 3 2 2 540 385 0 0 0 1/0/0/0 true false
        m5 2026-W11 3 2 2 540 315 0 1 15 0/0/0/1 true false
        m6 2026-W11 1 1 1 180 180 0 0 0 0/0/0/0 true false
        m7 2026-W11 2 1 1 360 180 0 0 0 0/1/0/0 true false
        m8 2026-W11 3 0 0 540 0 0 0 0 0/1/1/1 true false
        """

    private func plan() throws -> AttendancePlan {
        let schedule = try Fixture.eveningProgram()
        let week = schedule.occurrences(from: Self.at("09", "00:00"), to: Self.at("16", "00:00"))
        let day = Fixture.day
        let roster = try Roster([
            Enrolment(member: "m1", enrolled: day("2026-03-02")),
            Enrolment(member: "m2", enrolled: day("2026-03-02")),
            Enrolment(member: "m3", enrolled: day("2026-03-02")),
            Enrolment(member: "m4", enrolled: day("2026-03-02")),
            Enrolment(member: "m5", enrolled: day("2026-03-02")),
            Enrolment(member: "m6", enrolled: day("2026-03-02"), discharged: day("2026-03-11")),
            Enrolment(member: "m7", enrolled: day("2026-03-11")),
            Enrolment(member: "m8", enrolled: day("2026-03-02")),
        ])
        return AttendancePlan(occurrences: week, roster: roster, stays: Self.stays, absences: Self.notes)
    }

    @Test func sessionTableEqualsTheHandComputedOne() throws {
        let rows = try plan().sessions.map {
            [
                $0.occurrence.id, $0.member, $0.status.code, "\($0.attendedMinutes)", "\($0.lateMinutes)",
                "\($0.earlyLeaveMinutes)", "\($0.awayMinutes)",
            ].joined(separator: " ")
        }
        #expect(rows.joined(separator: "\n") == Self.expectedSessions)
    }

    @Test func weekTableEqualsTheHandComputedOne() throws {
        let rows = try plan().weeks.map {
            let t = $0.totals
            let a = t.absences
            return [
                $0.member, $0.isoWeek, "\(t.sessionsExpected)", "\(t.sessionsAttended)", "\(t.daysAttended)",
                "\(t.scheduledMinutes)", "\(t.attendedMinutes)", "\(t.lateArrivals)", "\(t.earlyLeaves)",
                "\(t.awayMinutes)", "\(a.excused)/\(a.unexcused)/\(a.rescheduled)/\(a.unrecorded)",
                "\($0.belowMinimumHours)", "\($0.aboveMaximumHours)",
            ].joined(separator: " ")
        }
        #expect(rows.joined(separator: "\n") == Self.expectedWeeks)
    }

    @Test func programSummariesFollowTheWeeks() throws {
        let members = try plan().members
        #expect(members.map(\.member) == ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8"])
        #expect(members.map(\.attendancePercent) == [100, 100, 100, 66, 66, 100, 50, 0])
        #expect(members.map(\.weeksBelowMinimumHours) == [0, 0, 1, 1, 1, 1, 1, 1])
        #expect(members[5].enrolment.discharged == Fixture.day("2026-03-11"))
    }
}
