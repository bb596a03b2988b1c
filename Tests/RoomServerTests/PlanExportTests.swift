import Foundation
import Logging
import ProgramCore
import RoomCore
import Testing

@testable import RoomServer

/// The compressed week end to end through the records: the evening program's
/// three sessions (Monday, Wednesday, Thursday 18:00–21:00 PDT, 2026-03-09 to
/// 12) kept by the real record store (SQLite and PostgreSQL) as a facilitator and eight enrolled
/// members come and go, read back as `iopctl attendance export --against-plan`
/// reads them, and exported: the table equals the one worked out by hand
/// (the same week as ProgramCoreTests' CompressedWeekTests, there from stays).
@Suite struct PlanExportTests {
    let folder = NSTemporaryDirectory() + "iop-plan-\(UUID().uuidString)"

    /// Local wall time in Los Angeles that week (PDT, UTC−7), as a record time.
    static func at(_ day: String, _ time: String) -> Timestamp {
        let text = "2026-03-\(day)T\(time)\(time.count == 5 ? ":00" : "")-07:00"
        let date = ISO8601DateFormatter().date(from: text)!
        return Timestamp(millisecondsSinceEpoch: Int64(date.timeIntervalSince1970 * 1000))
    }

    static func attendance(_ member: MemberID, _ event: AttendanceEvent, _ day: String, _ time: String) -> Record {
        let role: Role = member == "f1" ? .facilitator : .participant
        return .attendance(AttendanceRecord(member: member, role: role, event: event, at: at(day, time)))
    }

    /// A participant's stay: arrives, accepts, is admitted, leaves.
    static func stay(_ member: MemberID, _ day: String, _ from: String, _ to: String) -> [Record] {
        [
            attendance(member, .connected, day, from), attendance(member, .consented(version: "2026-11"), day, from),
            attendance(member, .admitted(by: "f1"), day, from), attendance(member, .left(.closedByClient), day, to),
        ]
    }

    /// One session: the facilitator opens it at 17:30 and ends it at 21:30; `stays` in between, in time order.
    static func session(_ day: String, _ stays: [[Record]]) -> [Record] {
        let records = stays.flatMap { $0 }.enumerated().sorted {
            (time($0.element), $0.offset) < (time($1.element), $1.offset)
        }
        .map(\.element)
        return [attendance("f1", .connected, day, "17:30")] + records + [
            .moderation(
                ModerationRecord(
                    actor: "f1", action: .sessionEnded, target: nil, message: nil, alert: nil, at: at(day, "21:30"))),
            attendance("f1", .left(.sessionEnded), day, "21:30"),
        ]
    }

    static func time(_ record: Record) -> Int64 {
        switch record {
        case .attendance(let attendance): attendance.at.millisecondsSinceEpoch
        case .moderation(let moderation): moderation.at.millisecondsSinceEpoch
        case .checkInScore(let score): score.at.millisecondsSinceEpoch
        case .absence(let absence): absence.at.millisecondsSinceEpoch
        }
    }

    static let week: [Record] =
        session(
            "09",
            [
                stay("m1", "09", "18:00", "21:00"), stay("m2", "09", "17:50", "21:00"),
                stay("m3", "09", "18:12", "21:00"), stay("m4", "09", "18:00", "21:00"),
                stay("m5", "09", "18:00", "20:30"), stay("m6", "09", "18:00", "21:00"),
            ])
        + session(
            "11",
            [
                stay("m1", "11", "18:00", "21:00"), stay("m2", "11", "17:50", "21:00"),
                stay("m3", "11", "18:04", "21:00"), stay("m6", "11", "18:00", "18:30"),
                stay("m7", "11", "18:00", "21:00"),
                stay("m5", "11", "18:00", "21:00") + [
                    attendance("m5", .steppedOut, "11", "19:10"), attendance("m5", .steppedBack, "11", "19:25"),
                ],
            ])
        + session(
            "12",
            [
                stay("m1", "12", "18:00", "21:00"), stay("m2", "12", "17:40", "21:00"),
                stay("m3", "12", "18:00", "21:00"), stay("m4", "12", "18:00", "21:25"),
                stay("m8", "12", "18:20:00", "18:20:40"),
            ])

    static let roomsFile = """
        rooms:
          - id: evening
            title: Evening
            kind: process
            capacity: 15
            schedule:
              timeZone: America/Los_Angeles
              startDate: 2026-03-02
              endDate: 2026-04-10
              slots: [{days: [monday, wednesday, thursday], start: "18:00", end: "21:00"}]
            roster:
              - {member: m1, enrolled: 2026-03-02}
              - {member: m2, enrolled: 2026-03-02}
              - {member: m3, enrolled: 2026-03-02}
              - {member: m4, enrolled: 2026-03-02}
              - {member: m5, enrolled: 2026-03-02}
              - {member: m6, enrolled: 2026-03-02, discharged: 2026-03-11}
              - {member: m7, enrolled: 2026-03-11}
              - {member: m8, enrolled: 2026-03-02}

        """

    static let notes = """
        member,session,reason
        m4,2026-03-11T18:00,excused
        m7,2026-03-12T18:00,unexcused
        m8,2026-03-09T18:00,rescheduled
        m8,2026-03-11T18:00,unexcused

        """

    /// session, member, status, minutes attended, late, early leave, away: worked out by hand.
    static let expectedSessions = """
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

    /// member, days attended, minutes attended, hours, late, early, away, excused, unexcused, rescheduled,
    /// unrecorded, below 9 h: the week's roll-up, by hand.
    static let expectedWeeks = """
        m1 3 540 9.00 0 0 0 0 0 0 0 false
        m2 3 575 9.58 0 0 0 0 0 0 0 false
        m3 3 524 8.73 1 0 0 0 0 0 0 true
        m4 2 385 6.41 0 0 0 1 0 0 0 true
        m5 2 315 5.25 0 1 15 0 0 0 1 true
        m6 1 180 3.00 0 0 0 0 0 0 0 true
        m7 1 180 3.00 0 0 0 0 1 0 0 true
        m8 0 0 0.00 0 0 0 0 1 1 1 true
        """

    /// A facilitator's absence reason as the room records it.
    static func absence(_ member: String, _ day: String, _ reason: AbsenceMark?, at time: String = "21:10") -> Record {
        .absence(
            AbsenceRecord(
                entry: AbsenceEntry(member: MemberID(member), session: "2026-03-\(day)T18:00", reason: reason),
                recordedBy: "f1", at: at(day, time)))
    }

    /// The notes above recorded in the room instead, with a change of mind
    /// (m1's cleared) and one reason the file then corrects (m8 on the 11th).
    static let recordedInTheRoom: [Record] = [
        absence("m8", "09", .rescheduled), absence("m1", "09", .excused), absence("m1", "09", nil, at: "21:11"),
        absence("m4", "11", .excused), absence("m8", "11", .excused), absence("m7", "12", .unexcused),
    ]

    private func export(_ records: RecordsUnderTest, recorded: [Record] = [], notes: String = Self.notes) throws
        -> PlanExport
    {
        let store = try records.open()
        defer { store.close(at: Self.at("20", "00:00")) }
        for record in Self.week + recorded { store.append(record, room: "evening") }
        store.flush()
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stored = try PlanExport.stored(from: records.location, room: "evening")
        let rooms = folder + "/rooms.yaml"
        try Self.roomsFile.write(toFile: rooms, atomically: true, encoding: .utf8)
        let from = LocalDate(year: 2026, month: 3, day: 9)!
        let to = LocalDate(year: 2026, month: 3, day: 15)!
        let input = try AttendanceReport.Input.read(
            from: records.location, room: "evening", period: PlanExport.recordPeriod(from: from, to: to),
            rules: AttendanceRules())
        #expect(input.sessions.count == 3)
        return try PlanExport(
            room: "evening", program: try RoomCatalogue.programs(path: rooms)["evening"], input: input,
            absences: PlanExport.merged(recorded: stored.absences, overrides: try PlanExport.absences(csv: notes)),
            from: from, to: to,
            asOf: Self.at("20", "00:00").millisecondsSinceEpoch)
    }

    /// The named columns of a CSV, one line per row, fields joined by spaces.
    private func columns(_ csv: String, _ names: [String]) throws -> String {
        let lines = csv.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = try #require(lines.first).map(String.init)
        let indices = try names.map { name in try #require(header.firstIndex(of: name), "\(name)") }
        return lines.dropFirst().map { row in indices.map { String(row[$0]) }.joined(separator: " ") }
            .joined(separator: "\n")
    }

    @Test(arguments: RecordsUnderTest.backends)
    func theSessionsCSVEqualsTheHandComputedTable(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = try export(records).csv(.sessions)
        let names = [
            "session", "member", "status", "minutes_attended", "minutes_late", "minutes_left_early", "minutes_away",
        ]
        #expect(try columns(csv, names) == Self.expectedSessions)
        #expect(
            csv.hasPrefix(
                "room,session,date,scheduled_start,scheduled_end,moved_from,member,status,first_joined,last_left,"
                    + "minutes_scheduled,minutes_attended,minutes_late,minutes_left_early,minutes_away\r\n"
                    + "evening,2026-03-09T18:00,2026-03-09,2026-03-09T18:00:00-07:00,2026-03-09T21:00:00-07:00,,m1,"
                    + "attended,2026-03-09T18:00:00-07:00,2026-03-09T21:00:00-07:00,180,180,0,0,0\r\n"))
    }

    @Test(arguments: RecordsUnderTest.backends)
    func theWeeksCSVAndTheJSONFollow(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let export = try export(records)
        let names = [
            "member", "days_attended", "minutes_attended", "hours_attended", "late_arrivals", "early_leaves",
            "minutes_away", "absences_excused", "absences_unexcused", "absences_rescheduled", "absences_unrecorded",
            "below_minimum_hours",
        ]
        #expect(try columns(export.csv(.weeks), names) == Self.expectedWeeks)
        let members = try columns(export.csv(.members), ["member", "discharged", "attendance_percent"])
        #expect(members.split(separator: "\n")[5] == "m6 2026-03-11 100")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(export.json().utf8)) as? [String: Any])
        #expect(json["time_zone"] as? String == "America/Los_Angeles")
        let sessions = try #require(json["sessions"] as? [[String: Any]])
        #expect(sessions.count == 21)
        #expect(sessions[2]["minutes_late"] as? Int == 12)
        #expect(sessions[6]["status"] as? String == "rescheduled")
        #expect(sessions[6]["first_joined"] is NSNull)
    }

    @Test(arguments: RecordsUnderTest.backends)
    func reasonsRecordedInTheRoomGiveTheSameTableAndTheFileOverridesThem(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let export = try export(records, recorded: Self.recordedInTheRoom, notes: "m8,2026-03-11T18:00,unexcused\n")
        let names = [
            "session", "member", "status", "minutes_attended", "minutes_late", "minutes_left_early", "minutes_away",
        ]
        #expect(try columns(export.csv(.sessions), names) == Self.expectedSessions)
        // Without the file, the room's own (uncorrected) reason for m8 on the 11th holds (a fresh database).
        guard let again = try RecordsUnderTest.make(backend) else { return }
        let roomOnly = try self.export(again, recorded: Self.recordedInTheRoom, notes: "")
        let rows = try columns(roomOnly.csv(.sessions), ["session", "member", "status"]).split(separator: "\n")
        #expect(rows.contains("2026-03-11T18:00 m8 excused"))
        #expect(rows.contains("2026-03-09T18:00 m1 attended"))
    }

    @Test func absenceNotesAreCheckedLineByLine() {
        #expect(throws: PlanExport.AbsenceFileProblem.unknownReason(line: 2)) {
            try PlanExport.absences(csv: "member,session,reason\nm1,2026-03-09T18:00,sick\n")
        }
        #expect(throws: PlanExport.AbsenceFileProblem.fieldCount(line: 1)) {
            try PlanExport.absences(csv: "m1,2026-03-09T18:00\n")
        }
        #expect(throws: PlanExport.AbsenceFileProblem.badField(line: 1)) { try PlanExport.absences(csv: ",x,excused") }
    }
}

/// docs/OPERATIONS.md names every column of the against-plan export.
@Suite struct PlanExportGuideTests {
    @Test func everyColumnIsDocumented() throws {
        let section = try OperationsGuideTests.section("### Against the plan")
        let schedule = try Schedule(
            slots: [
                ScheduleSlot(
                    weekdays: [.monday], start: LocalTime(hour: 9, minute: 0)!, end: LocalTime(hour: 12, minute: 0)!)
            ],
            timeZone: "UTC", startDate: LocalDate(year: 2026, month: 3, day: 2)!,
            endDate: LocalDate(year: 2026, month: 3, day: 9)!, database: SystemTimeZoneDatabase())
        let export = try PlanExport(
            room: "r", program: RoomProgram(schedule: schedule, roster: try Roster([])),
            input: AttendanceReport.Input(sessions: [], events: []), from: schedule.startDate, to: schedule.endDate,
            asOf: 0)
        for table in PlanTable.allCases {
            for column in export.header(table) {
                #expect(section.contains("`\(column)`"), "\(table): \(column)")
            }
        }
    }
}
