import Foundation
import ProgramCore
import Testing

@testable import RoomServer

/// `schedule:` and `roster:` in the rooms file: read into a room's program,
/// every bad value named by its key (iopd exits 64 on any SettingsError).
@Suite struct ProgramSettingsTests {
    private static let room = "rooms:\n  - id: x\n    title: X\n    kind: process\n    capacity: 8\n"

    private static let schedule = """
            schedule:
              timeZone: America/Los_Angeles
              startDate: 2026-03-02
              endDate: 2026-05-22
              waitingRoomLeadMinutes: 20
              slots:
                - {days: [monday, wednesday, thursday], start: "18:00", end: "21:00"}
              exceptions:
                - {date: 2026-05-04, cancelled: true}
                - {date: 2026-04-02, start: "18:00", moveTo: {date: 2026-04-03, start: "10:00", end: "13:00"}}
            roster:
              - {member: m-1842, enrolled: 2026-03-02}
              - {member: m-2051, enrolled: 2026-03-09, discharged: 2026-04-20}

        """

    private func programs(_ yaml: String) throws -> [String: RoomProgram] {
        let path = NSTemporaryDirectory() + "rooms-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try RoomCatalogue.programs(path: path)
    }

    @Test func aScheduleAndARosterAreRead() throws {
        let yaml = Self.room + Self.schedule + "  - {id: y, title: Y, kind: skills, capacity: 8}\n"
        let all = try programs(yaml)
        #expect(all.keys.sorted() == ["x"])  // y has no program: it behaves as before
        let schedule = try #require(all["x"]?.schedule)
        #expect(schedule.timeZone.identifier == "America/Los_Angeles")
        #expect(schedule.waitingRoomLeadMinutes == 20)
        #expect(schedule.reminderBeforeEndMinutes == 10)
        #expect(
            schedule.slots == [
                ScheduleSlot(
                    weekdays: [.monday, .wednesday, .thursday], start: LocalTime(hour: 18, minute: 0)!,
                    end: LocalTime(hour: 21, minute: 0)!)
            ])
        #expect(schedule.occurrences(on: LocalDate(year: 2026, month: 4, day: 3)!).map(\.id) == ["2026-04-03T10:00"])
        #expect(schedule.occurrences(on: LocalDate(year: 2026, month: 5, day: 4)!).isEmpty)
        #expect(all["x"]?.roster?.entries.map(\.member) == ["m-1842", "m-2051"])
        #expect(all["x"]?.roster?.entries.last?.discharged == LocalDate(year: 2026, month: 4, day: 20))
        // The room itself still loads as before.
        let path = NSTemporaryDirectory() + "rooms-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try RoomCatalogue.load(path: path).map(\.definition.id) == ["x", "y"])
    }

    @Test func roomsWithoutAProgramAndAMissingFileHaveNone() throws {
        #expect(try programs(Self.room).isEmpty)
        #expect(try RoomCatalogue.programs(path: "/nonexistent/rooms.yaml").isEmpty)
        #expect(try RoomCatalogue.programs(path: "Config/rooms.yaml").isEmpty)
    }

    /// Each mistake, made by one substitution in the good file, and the message naming its key.
    @Test(arguments: [
        (
            "America/Los_Angeles", "America/Springfield",
            "setting rooms[x].schedule.timeZone must be an IANA time zone such as America/Los_Angeles"
        ),
        (
            "end: \"21:00\"}", "end: \"17:00\"}",
            "setting rooms[x].schedule.slots[0].end must be after start, the same day (slot 0 ends at or before it starts (same local day only))"
        ),
        (
            "[monday, wednesday, thursday]", "[monday, wensday]",
            "setting rooms[x].schedule.slots[0].days must be monday, tuesday, wednesday, thursday, friday, saturday, sunday"
        ),
        ("[monday, wednesday, thursday]", "[]", "setting rooms[x].schedule.slots[0].days must be at least one weekday"),
        (
            "endDate: 2026-05-22", "endDate: 2026-02-22",
            "setting rooms[x].schedule.endDate must be on or after startDate"
        ),
        ("endDate: 2026-05-22", "endDate: 2026-02-30", "setting rooms[x].schedule.endDate must be a date YYYY-MM-DD"),
        (
            "start: \"18:00\", end", "start: \"6pm\", end",
            "setting rooms[x].schedule.slots[0].start must be a time HH:MM (00:00–23:59)"
        ),
        (
            "{date: 2026-05-04, cancelled: true}", "{date: 2026-06-01, cancelled: true}",
            "setting rooms[x].schedule.exceptions[0] must be dates within startDate...endDate"
        ),
        (
            "{date: 2026-05-04, cancelled: true}", "{date: 2026-05-05, cancelled: true}",
            "setting rooms[x].schedule.exceptions[0] must be a date (and start) when a session is scheduled"
        ),
        (
            "{date: 2026-05-04, cancelled: true}", "{date: 2026-05-04}",
            "setting rooms[x].schedule.exceptions[0].cancelled must be either cancelled: true or moveTo: {date, start, end}"
        ),
        (
            "waitingRoomLeadMinutes: 20", "waitingRoomLeadMinutes: -1",
            "setting rooms[x].schedule.waitingRoomLeadMinutes must be 0...1440"
        ),
        (
            "waitingRoomLeadMinutes: 20", "waitingRoomLeadMinute: 20",
            "unknown setting rooms[x].schedule.waitingRoomLeadMinute in PATH; did you mean rooms[x].schedule.waitingRoomLeadMinutes?"
        ),
        (
            "moveTo: {date: 2026-04-03,", "moveTo: {day: 2026-04-03,",
            "unknown setting rooms[x].schedule.exceptions[1].moveTo.day in PATH"
        ),
        (
            "{member: m-2051, enrolled", "{member: m-1842, enrolled",
            "setting rooms[x].roster[1].member must be unique (the member is on the roster twice)"
        ),
        (
            "discharged: 2026-04-20", "discharged: 2026-03-01",
            "setting rooms[x].roster[1].discharged must be on or after enrolled"
        ),
        (
            "{member: m-1842, enrolled: 2026-03-02}", "{member: m-1842, enroled: 2026-03-02}",
            "unknown setting rooms[x].roster[0].enroled in PATH; did you mean rooms[x].roster[0].enrolled?"
        ),
    ])
    func mistakesAreNamedByTheirKey(good: String, bad: String, message: String) throws {
        let yaml = (Self.room + Self.schedule)
        #expect(yaml.contains(good))
        let path = NSTemporaryDirectory() + "rooms-\(UUID().uuidString).yaml"
        try yaml.replacingOccurrences(of: good, with: bad).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try RoomCatalogue.programs(path: path)
            Issue.record("accepted: \(bad)")
        } catch {
            #expect("\(error)".replacingOccurrences(of: path, with: "PATH").hasPrefix(message))
        }
    }

    @Test func overlappingSlotsAreNamed() throws {
        let yaml = (Self.room + Self.schedule).replacingOccurrences(
            of: "        - {days: [monday, wednesday, thursday]",
            with:
                "        - {days: [thursday], start: \"20:00\", end: \"22:00\"}\n        - {days: [monday, wednesday, thursday]"
        )
        #expect(
            throws: SettingsError.outOfRange(
                "rooms[x].schedule.slots[1]", "no overlap (slots 0 and 1 overlap on thursday)")
        ) {
            try programs(yaml)
        }
    }

    @Test func autoAdmitEnrolledNeedsAScheduleAndARoster() throws {
        let yaml = Self.room.replacingOccurrences(
            of: "capacity: 8\n", with: "capacity: 8\n    policy: {autoAdmitEnrolled: true}\n")
        #expect(
            throws: SettingsError.outOfRange(
                "rooms[x].policy.autoAdmitEnrolled", "false unless the room has a schedule: and a roster:")
        ) { try programs(yaml) }
        let full = try programs(yaml + Self.schedule)
        #expect(full["x"]?.autoAdmitEnrolled == true)
        #expect(try programs(Self.room + Self.schedule)["x"]?.autoAdmitEnrolled == false)
    }

    /// docs/OPERATIONS.md has a row for every key under `schedule:` and `roster:`.
    @Test func everyScheduleAndRosterKeyIsDocumented() throws {
        let section = try OperationsGuideTests.section("### Schedule and roster")
        let rows =
            RoomCatalogue.scheduleKeys + RoomCatalogue.slotKeys.map { "slots[].\($0)" }
            + RoomCatalogue.exceptionKeys.map { "exceptions[].\($0)" }
            + RoomCatalogue.moveKeys.map { "exceptions[].moveTo.\($0)" } + RoomCatalogue.rosterKeys
        #expect(rows.count == 20)
        for row in rows { #expect(section.contains("| `\(row)` |"), "\(row)") }
    }
}
