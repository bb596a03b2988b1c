import Foundation
import Logging
import RoomCore
import Testing

@testable import RoomServer

/// The export's read path against real records written by the real store (SQLite
/// and PostgreSQL), read while the store still has them open (as while `iopd` runs).
@Suite struct AttendanceExportStoreTests {
    func record(_ member: MemberID, _ event: AttendanceEvent, minute: Int64, role: Role = .participant)
        -> RoomCore.Record
    {
        // 2026-11-23T09:00:00Z plus `minute` minutes.
        let at = Timestamp(millisecondsSinceEpoch: 1_795_424_400_000 + minute * 60_000)
        return .attendance(AttendanceRecord(member: member, role: role, event: event, at: at))
    }

    @Test("records kept by the store come back as one row per member per session", arguments: RecordsUnderTest.backends)
    func readWhileOpen(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open()
        defer { store.close(at: Timestamp(millisecondsSinceEpoch: 1_795_460_000_000)) }
        let room = "evening-process"
        for entry in [
            record("f1", .connected, minute: 0, role: .facilitator),
            record("p1", .connected, minute: 1), record("p1", .consented(version: "2026-11"), minute: 2),
            record("p1", .admitted(by: "f1"), minute: 5), record("p1", .steppedOut, minute: 65),
            record("p1", .steppedBack, minute: 80), record("p1", .left(.sessionEnded), minute: 185),
            record("f1", .left(.sessionEnded), minute: 185, role: .facilitator),
        ] {
            store.append(entry, room: room)
        }
        store.flush()
        var rules = AttendanceRules()
        rules.timeZoneName = "America/Chicago"
        let period = AttendancePeriod(
            from: CalendarDay(parsing: "2026-11-23")!, to: CalendarDay(parsing: "2026-11-23")!)
        let input = try AttendanceReport.Input.read(
            from: records.location, room: room, period: period, rules: rules)
        #expect(input.sessions.count == 1 && input.events.count == 8)
        let report = AttendanceReport(input: input, period: period, rules: rules, asOf: 0)
        #expect(report.sessions.map(\.member) == ["f1", "p1"])
        #expect(report.sessions.map(\.attendedMinutes) == [185, 180 - 15])
        #expect(report.sessions[1].steppedOutMinutes == 15)
        #expect(report.sessions[1].consentVersion == "2026-11")
        // 09:00Z is 03:00 in Chicago: the 23rd there too, and nothing from another room or day.
        let other = try AttendanceReport.Input.read(
            from: records.location, room: "another-room", period: period, rules: rules)
        #expect(other.sessions.isEmpty && other.events.isEmpty)
        let nextDay = AttendancePeriod(
            from: CalendarDay(parsing: "2026-11-24")!, to: CalendarDay(parsing: "2026-11-24")!)
        #expect(
            try AttendanceReport.Input.read(from: records.location, room: room, period: nextDay, rules: rules)
                .sessions.isEmpty)
    }
}
