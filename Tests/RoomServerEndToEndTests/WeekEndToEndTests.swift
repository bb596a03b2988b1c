import Foundation
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// Issue 23's end-to-end week, compressed in time: a real server with an
/// injected wall clock (``ManualClock``), real WebSocket clients on loopback,
/// three scheduled sessions (Monday, Wednesday, Thursday 18:00–21:00
/// America/Los_Angeles, week 2026-W49, Pacific Standard Time, UTC-8), a
/// roster of eight members with arrivals on time, late and early, early
/// leaves, time away, absences with and without reasons and a discharge
/// mid-week. The exports (the admin route's and the against-plan one) must
/// equal the tables in `Fixtures/`, worked out by hand below.
///
/// The plan (defaults: late after 5 min of grace, early before 5 min of
/// grace; stays counted from the waiting room's opening, 17:45, to the
/// session's end plus the overrun; weekly hours 9–20). Times are local.
///
/// Monday 2026-11-30 (session `2026-11-30T18:00`, 180 scheduled minutes)
/// - fac-1 17:50–21:00 (the session starts with the facilitator)
/// - m-1 18:00–21:00: 180 min. Sends the canary in chat at 18:30.
/// - m-2 18:20–21:00: 160 min, late 20.
/// - m-3 18:00–20:30 (closes the app): 150 min, left early 30.
/// - m-4 absent; reason `unexcused` recorded on Wednesday.
/// - m-5 absent; reason `rescheduled` recorded at 18:30.
/// - m-6, m-7 18:00–21:00: 180 min each.
/// - m-8 absent, no reason ever: `absent`.
/// Tuesday 10:00: m-7 discharged as of 2026-12-01 (admin API): invitation revoked.
/// Wednesday 2026-12-02 (m-7 no longer expected; their invitation is refused)
/// - fac-1 17:50–21:00
/// - m-1, m-2 18:00–21:00: 180 min each.
/// - m-3 18:00–21:00, stepped out 19:00–19:15: 60 + 105 = 165 min, away 15.
/// - m-4 18:00–19:30, back 19:50–21:00: 90 + 70 = 160 min, away 20.
/// - m-5 absent, no reason: `absent`.
/// - m-6 18:40–20:15: 95 min, late 40, left early 45.
/// - m-8 absent: `excused` recorded at 18:05, then cleared: `absent`.
/// Thursday 2026-12-03 (the group runs over to 21:10: nothing is cut off)
/// - fac-1 17:50–21:10
/// - m-1, m-4, m-6 18:00–21:10: 190 min each.
/// - m-2 17:55–21:10: 195 min (early is not late).
/// - m-3 absent, `excused`; m-8 absent, `unexcused` (recorded at 18:10).
/// - m-5 18:03–21:10: 187 min, 3 min after the start is within the grace: not late.
///
/// Week totals (minutes attended; hours rounded down to hundredths; below 9 h flagged):
/// m-1 180+180+190 = 550 (9.16); m-2 160+180+195 = 535 (8.91, below); m-3 150+165
/// = 315 (5.25); m-4 160+190 = 350 (5.83); m-5 187 (3.11); m-6 180+95+190 = 465
/// (7.75); m-7 180 of 180 scheduled (3.00; one session expected); m-8 0.
/// Attendance percent: sessions attended × 100 / expected, rounded down (2 of 3: 66).
///
/// The plain export (admin route, `attendance.timeZone` America/Los_Angeles,
/// 3 h a day, 3 days a week) counts admitted time per day for everyone who
/// came, facilitator included, with no schedule: fac-1 190, 190, 200 minutes
/// (3.16, 3.16, 3.33 h; 580 min = 9.66 h); a day under 180 minutes is below
/// the minimum (m-2 Monday 2.66, m-3 2.50 and 2.75, m-4 Wednesday 2.66, m-6
/// Wednesday 1.58); m-8 never came and has no row. Its sessions table has one
/// row per member per room session (ids 1–3, each from the facilitator's
/// arrival at 17:50 to `session.end`), members in order of arrival: agreement
/// and admission at arrival (auto-admitted), a return in the same session
/// (m-4) keeps its first admission and counts no time while gone, a step out
/// (m-3) is stepped-out minutes, not attended ones; `closed_by_client` for
/// those who left before the end, `session_ended` for the rest.
@Suite(.serialized) struct WeekEndToEndTests {
    static let canary = "CANARY-week-5d1c9e"
    static let members = (1...8).map { "m-\($0)" }
    static let monday = "2026-11-30T18:00"
    static let wednesday = "2026-12-02T18:00"
    static let thursday = "2026-12-03T18:00"

    /// The rooms file: one room with the program's schedule, roster and auto-admission.
    static func roomsFile() throws -> String {
        let roster = members.map { "      - {member: \($0), enrolled: 2026-11-30}" }.joined(separator: "\n")
        let yaml = """
            agreement:
              version: "\(WeekDriver.agreement)"
              text: What is shared here stays here.
            rooms:
              - id: \(WeekDriver.room)
                title: Evening IOP
                kind: process
                capacity: 12
                policy: {autoAdmitEnrolled: true}
                roster:
            \(roster)
                schedule:
                  timeZone: America/Los_Angeles
                  startDate: 2026-11-30
                  endDate: 2027-01-29
                  slots: [{days: [monday, wednesday, thursday], start: "18:00", end: "21:00"}]

            """
        let path = NSTemporaryDirectory() + "rooms-week-\(UUID().uuidString).yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: RecordBackends.all)
    func aCompressedWeekExportsTheHandComputedAttendance(_ backend: RecordBackend) async throws {
        var base = ServerSettings.echoTesting
        base.roomsFile = try Self.roomsFile()
        base.attendance.timeZoneName = "America/Los_Angeles"
        defer { try? FileManager.default.removeItem(atPath: base.roomsFile) }
        guard let settings = try RecordBackends.settings(base, on: backend) else { return }
        let clock = ManualClock(try #require(ISO8601DateFormatter().date(from: "2026-11-30T17:00:00-08:00")))
        let harness = try await ServerHarness(settings: settings, clock: clock.clock)
        defer { harness.stop() }
        let week = WeekDriver(harness: harness, clock: clock)
        var invitation: [String: String] = [:]
        for member in Self.members { invitation[member] = try await week.invite(member) }
        func arrive(_ member: String, _ host: TestClient, returning: Bool = false) async throws -> TestClient {
            try await week.arrive(member, with: try #require(invitation[member]), seenBy: host, returning: returning)
        }

        // Monday.
        try week.at("2026-11-30T17:50")
        var host = try await week.facilitator()
        try week.at("2026-11-30T18:00")
        let m1 = try await arrive("m-1", host)
        var m3 = try await arrive("m-3", host)
        let m6 = try await arrive("m-6", host)
        let m7 = try await arrive("m-7", host)
        try week.at("2026-11-30T18:20")
        let m2 = try await arrive("m-2", host)
        try week.at("2026-11-30T18:30")
        try await week.command(m1, "chat.send", "canary", #""text":"\#(Self.canary)""#)
        try #require(await RoomWire.waitFor(host, Self.canary) != nil)
        try await week.absence(host, "m-5", Self.monday, "rescheduled")
        try week.at("2026-11-30T20:30")
        try await week.leave("m-3", m3, seenBy: host)
        try week.at("2026-11-30T21:00")
        try await week.end(host, [m1, m2, m6, m7])

        // Tuesday: m-7 is discharged; the invitation goes at once.
        try week.at("2026-12-01T10:00")
        let discharge = try await week.adminCall(
            "POST", "/v1/admin/rooms/\(WeekDriver.room)/discharge?member=m-7&discharged=2026-12-01")
        #expect(discharge.status == 200, "\(discharge.body)")

        // Wednesday.
        try week.at("2026-12-02T17:50")
        host = try await week.facilitator()
        try week.at("2026-12-02T18:00")
        let refused = try await week.admin.request(
            "GET", "/v1/rooms/\(WeekDriver.room)", token: invitation["m-7"])
        #expect(refused.status == 401 || refused.status == 403)
        #expect(refused.body.hasPrefix("revoked_token"), "\(refused.body)")
        var present = [try await arrive("m-1", host), try await arrive("m-2", host)]
        m3 = try await arrive("m-3", host)
        var m4 = try await arrive("m-4", host)
        try week.at("2026-12-02T18:05")
        try await week.absence(host, "m-4", Self.monday, "unexcused")
        try await week.absence(host, "m-8", Self.wednesday, "excused")
        try await week.absence(host, "m-8", Self.wednesday, nil)
        try week.at("2026-12-02T18:40")
        let m6Wednesday = try await arrive("m-6", host)
        try week.at("2026-12-02T19:00")
        try await week.command(m3, "presence.step_out", "away")
        try week.at("2026-12-02T19:15")
        try await week.command(m3, "presence.come_back", "back")
        try week.at("2026-12-02T19:30")
        try await week.leave("m-4", m4, seenBy: host)
        try week.at("2026-12-02T19:50")
        m4 = try await arrive("m-4", host, returning: true)
        try week.at("2026-12-02T20:15")
        try await week.leave("m-6", m6Wednesday, seenBy: host)
        try week.at("2026-12-02T21:00")
        try await week.end(host, present + [m3, m4])

        // Thursday.
        try week.at("2026-12-03T17:50")
        host = try await week.facilitator()
        try week.at("2026-12-03T17:55")
        present = [try await arrive("m-2", host)]
        try week.at("2026-12-03T18:00")
        for member in ["m-1", "m-4", "m-6"] { present.append(try await arrive(member, host)) }
        try week.at("2026-12-03T18:03")
        present.append(try await arrive("m-5", host))
        try week.at("2026-12-03T18:10")
        try await week.absence(host, "m-3", Self.thursday, "excused")
        try await week.absence(host, "m-8", Self.thursday, "unexcused")
        try week.at("2026-12-03T21:10")
        try await week.end(host, present)

        // Friday morning: the exports.
        try week.at("2026-12-04T09:00")
        await harness.roomsSettled()
        try await WeekExports(week: week, settings: settings, canary: Self.canary).check()
    }
}
