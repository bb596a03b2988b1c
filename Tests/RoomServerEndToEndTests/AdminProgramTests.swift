import Foundation
import Logging
import RoomCore
import ServerTestSupport
import Testing

@testable import RoomServer

/// The program routes of the admin API on a real server: operator tokens
/// only, bad input refused with precise codes and keys, a change stored and
/// audited (ids and dates only), adopted by the running room, and kept over
/// the rooms file at the next start.
@Suite(.serialized) struct AdminProgramTests {
    static let room = AdminFixture.room
    static let everyDay = #"["monday","tuesday","wednesday","thursday","friday","saturday","sunday"]"#

    /// A schedule as the route takes it: every day from `from` for 30 days, `slots` as JSON.
    static func schedule(zone: String = "UTC", from: String = today(), to: String? = nil, slots: String? = nil)
        -> String
    {
        let slots = slots ?? #"[{"days":\#(everyDay),"start":"00:00","end":"23:59"}]"#
        let end = to ?? day(offset: 30)
        return #"{"timeZone":"\#(zone)","startDate":"\#(from)","endDate":"\#(end)","slots":\#(slots)}"#
    }

    static func day(offset: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: Date() + offset * 86_400)
    }

    static func today() -> String { day(offset: -1) }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    @Test func everyProgramRouteTakesAnOperatorTokenOnly() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let routes = [
            ("GET", "/v1/admin/rooms/\(Self.room)/program"),
            ("POST", "/v1/admin/rooms/\(Self.room)/schedule?schedule=\(Self.encoded(Self.schedule()))"),
            ("POST", "/v1/admin/rooms/\(Self.room)/enrol?member=m-1&enrolled=\(Self.today())"),
            ("POST", "/v1/admin/rooms/\(Self.room)/discharge?member=m-1&discharged=\(Self.today())"),
        ]
        let participant = try await admin.token(member: "m-p", alias: "Sam", role: "participant")
        let facilitator = try await admin.token(member: "m-f", alias: "Dana", role: "facilitator")
        let operatorToken = try await admin.token(member: "op-1")
        for (method, path) in routes {
            let none = try await admin.request(method, path)
            #expect(none.status == 401, "\(path) without a token")
            #expect(try admin.errorCode(none.body) == "missing_token")
            for token in [participant, facilitator] {
                let refused = try await admin.request(method, path, token: token)
                #expect(refused.status == 403, "\(path)")
                #expect(try admin.errorCode(refused.body) == "wrong_role")
            }
            let answer = try await admin.request(method, path, token: operatorToken)
            #expect(answer.status == 200, "\(method) \(path): \(answer.body)")
        }
        // Refused callers changed nothing: one row per operator change.
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let actions = try store.read { try $0.texts("SELECT action FROM program_audit ORDER BY id") }
        #expect(actions == ["schedule_set", "enrolled", "discharged"])
    }

    @Test func badInputIsRefusedWithPreciseCodesAndKeys() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let token = try await admin.token(member: "op-1")
        let overlapping =
            #"[{"days":["monday"],"start":"18:00","end":"21:00"},{"days":["monday"],"start":"20:00","end":"22:00"}]"#
        let backwards = #"[{"days":["monday"],"start":"21:00","end":"18:00"}]"#
        let base = "/v1/admin/rooms/\(Self.room)"
        let cases: [(String, String, Int, String, String)] = [
            (
                "POST", "\(base)/schedule?schedule=\(Self.encoded(Self.schedule(slots: overlapping)))", 400,
                "invalid_schedule", "schedule.slots[1]"
            ),
            (
                "POST", "\(base)/schedule?schedule=\(Self.encoded(Self.schedule(slots: backwards)))", 400,
                "invalid_schedule", "schedule.slots[0].end"
            ),
            (
                "POST", "\(base)/schedule?schedule=\(Self.encoded(Self.schedule(zone: "Mars/Olympus")))", 400,
                "invalid_schedule", "schedule.timeZone"
            ),
            (
                "POST",
                "\(base)/schedule?schedule=\(Self.encoded(Self.schedule(from: "2026-03-01", to: "2026-02-01")))",
                400, "invalid_schedule", "schedule.endDate"
            ),
            (
                "POST", "\(base)/schedule?schedule=\(Self.encoded(#"{"timeZone":"UTC"}"#))", 400, "invalid_parameter",
                "schedule.startDate"
            ),
            ("POST", "\(base)/schedule", 400, "invalid_parameter", "schedule"),
            ("POST", "/v1/admin/rooms/no-such-room/enrol?member=m-1&enrolled=2026-01-05", 404, "unknown_room", "room"),
            ("GET", "/v1/admin/rooms/no-such-room/program", 404, "unknown_room", "room"),
            ("POST", "\(base)/enrol?enrolled=2026-01-05", 400, "invalid_parameter", "member"),
            ("POST", "\(base)/enrol?member=a*b&enrolled=2026-01-05", 400, "invalid_parameter", "member"),
            ("POST", "\(base)/enrol?member=m-1&enrolled=2026-13-05", 400, "invalid_parameter", "enrolled"),
            ("POST", "\(base)/discharge?member=m-1&discharged=2026-02-01", 404, "not_enrolled", "m-1"),
            ("GET", "\(base)/schedule", 405, "method_not_allowed", "POST"),
        ]
        for (method, path, status, code, key) in cases {
            let answer = try await admin.request(method, path, token: token)
            #expect(answer.status == status, "\(path): \(answer.body)")
            #expect(try admin.errorCode(answer.body) == code, "\(path)")
            #expect(answer.body.contains(key), "\(path): \(answer.body)")
        }
        #expect(
            try await admin.request("POST", "\(base)/enrol?member=m-1&enrolled=2026-02-05", token: token).status == 200)
        let twice = try await admin.request("POST", "\(base)/enrol?member=m-1&enrolled=2026-02-06", token: token)
        #expect(twice.status == 409)
        #expect(try admin.errorCode(twice.body) == "already_enrolled")
        let early = try await admin.request("POST", "\(base)/discharge?member=m-1&discharged=2026-02-01", token: token)
        #expect(early.status == 400)
        #expect(try admin.errorCode(early.body) == "invalid_roster")
        #expect(early.body.contains("roster[0].discharged"), "\(early.body)")
        #expect(
            try await admin.request("POST", "\(base)/discharge?member=m-1&discharged=2026-03-01", token: token).status
                == 200)
        let again = try await admin.request("POST", "\(base)/discharge?member=m-1&discharged=2026-03-02", token: token)
        #expect(again.status == 409)
        #expect(try admin.errorCode(again.body) == "already_discharged")
        // Only the two accepted changes were stored.
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let count = try store.read { try $0.scalar("SELECT count(*) FROM program_audit").integer }
        #expect(count == 2)
    }

    @Test(arguments: RecordBackends.all)
    func aChangedScheduleReachesTheRunningRoomAndIsAudited(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let token = try await admin.token(member: "op-chief")
        let before = try await admin.join(admin.token(member: "p-0", alias: "Sam", role: "participant"))
        try await admin.waitFor(before, "agreement.required")
        let path = "/v1/admin/rooms/\(Self.room)/schedule?schedule=\(Self.encoded(Self.schedule()))"
        #expect(try await admin.request("POST", path, token: token).status == 200)
        let enrol = "/v1/admin/rooms/\(Self.room)/enrol?member=p-1&enrolled=\(Self.today())"
        #expect(try await admin.request("POST", enrol, token: token).status == 200)
        let member = try await admin.join(admin.token(member: "p-1", alias: "Sam", role: "participant"))
        let notice = try #require(await admin.waitFor(member, "\"type\":\"schedule\""))
        #expect(notice.contains("\"time_zone\":\"UTC\"") || notice.contains("UTC"))
        let shown = try await admin.request("GET", "/v1/admin/rooms/\(Self.room)/program", token: token)
        #expect(shown.body.contains("\"source\":\"store\""))
        #expect(shown.body.contains("\"member\":\"p-1\""))
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let rows = try store.read {
            try $0.query("SELECT room, actor, action, member FROM program_audit ORDER BY id")
        }
        #expect(rows.map { $0["actor"].text } == ["op-chief", "op-chief"])
        #expect(rows.map { $0["member"].text } == [nil, "p-1"])
        let verification = try store.verifyChains()
        #expect(verification.isIntact)
        #expect(verification.rowsChecked["program_audit"] == 2)
    }

    @Test(arguments: RecordBackends.all)
    func theStoredProgramWinsOverTheRoomsFileAtTheNextStart(_ backend: RecordBackend) async throws {
        guard var settings = try RecordBackends.settings(on: backend) else { return }
        let folder = NSTemporaryDirectory() + "iop-programs-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let yaml = """
            rooms:
              - id: seeded
                title: Seeded
                kind: process
                capacity: 8
                roster: [{member: p-file, enrolled: 2026-01-05}]

            """
        let rooms = folder + "/rooms.yaml"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try yaml.write(toFile: rooms, atomically: true, encoding: .utf8)
        settings.roomsFile = rooms
        settings.dataDirectory = folder
        settings.host = "127.0.0.1"
        settings.port = 0
        let first = try await ServerApplication(settings: settings, logger: Logger(label: "test"))
        #expect(first.programs["seeded"]?.roster?.entries.map(\.member) == ["p-file"])
        let registry = try ProgramRegistry(
            rooms: first.directory, file: try RoomCatalogue.programDocuments(path: rooms),
            store: first.records as? any ProgramStore, logger: Logger(label: "test"))
        try registry.change(
            "seeded", ProgramChange(actor: "op-1", action: .enrolled, member: "p-api", at: ServerClock.system.now())
        ) {
            document throws(ProgramChangeError) in
            document.roster?.append(RoomCatalogue.RosterEntry(member: "p-api", enrolled: "2026-01-12"))
        }
        first.shutdown()
        let second = try await ServerApplication(settings: settings, logger: Logger(label: "test"))
        defer { second.shutdown() }
        #expect(second.programs["seeded"]?.roster?.entries.map(\.member) == ["p-file", "p-api"])
    }
}
