import Foundation
import RoomCore
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// Rooms created and changed through the admin API on a real server: operator
/// tokens only, bad input refused with precise codes and keys, the count
/// bounded by `rooms.maxRooms`, a created room joinable at once and still
/// there after a restart, a change kept over the rooms file, every change
/// audited (who, what, when) and nothing a member wrote in the new records.
@Suite(.serialized) struct RoomDefinitionTests {
    static let canary = "CANARY-rooms-4b1d"

    static func room(
        title: String = "Tuesday skills", kind: String = "skills", capacity: Int = 10, policy: String? = nil
    )
        -> String
    {
        let policyField = policy.map { #","policy":\#($0)"# } ?? ""
        return AdminProgramTests.encoded(
            #"{"title":"\#(title)","kind":"\#(kind)","capacity":\#(capacity)\#(policyField)}"#)
    }

    static func join(_ harness: ServerHarness, _ admin: AdminFixture, room: String, member: String = "fac-1")
        async throws -> TestClient
    {
        let token = try await harness.application.authority.issue(
            TokenClaims(
                member: member, alias: "Dana", role: "facilitator", room: room, expires: Date() + 3600,
                tokenID: UUID().uuidString))
        return try await TestClient.connect(
            port: harness.port, path: "/v1/rooms/\(room)", headers: ["Authorization": "Bearer \(token)"])
    }

    @Test(arguments: RecordBackends.all)
    func theRoomRoutesTakeAnOperatorTokenOnly(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let participant = try await admin.token(member: "m-p", alias: "Sam", role: "participant")
        let facilitator = try await admin.token(member: "m-f", alias: "Dana", role: "facilitator")
        let op = try await admin.token(member: "op-1")
        let routes = [
            "/v1/admin/rooms/new-room/create?room=\(Self.room())",
            "/v1/admin/rooms/new-room/update?room=\(Self.room(title: "Renamed"))",
        ]
        for path in routes {
            let none = try await admin.request("POST", path)
            #expect(none.status == 401)
            #expect(try admin.errorCode(none.body) == "missing_token")
            for token in [participant, facilitator] {
                let refused = try await admin.request("POST", path, token: token)
                #expect(refused.status == 403, "\(path)")
                #expect(try admin.errorCode(refused.body) == "wrong_role")
            }
            let get = try await admin.request("GET", path, token: op)
            #expect(get.status == 405)
            let answer = try await admin.request("POST", path, token: op)
            #expect(answer.status == 200, "\(path): \(answer.body)")
        }
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let rows = try store.read { try $0.query("SELECT room, actor, action, member FROM program_audit ORDER BY id") }
        #expect(rows.map { $0["action"].text } == ["room_created", "room_changed"])
        #expect(rows.allSatisfy { $0["room"] == .text("new-room") && $0["actor"] == .text("op-1") })
        #expect(try store.verifyChains().isIntact)
    }

    @Test(arguments: RecordBackends.all)
    func badInputIsRefusedWithPreciseCodesAndKeys(_ backend: RecordBackend) async throws {
        guard var settings = try RecordBackends.settings(on: backend) else { return }
        settings.maxRooms = 4  // the three sample rooms and one more
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let op = try await admin.token(member: "op-1")
        let base = "/v1/admin/rooms"
        let cases: [(String, Int, String, String)] = [
            ("\(base)/Bad_Id/create?room=\(Self.room())", 400, "invalid_room", "room id"),
            ("\(base)/evening-process/create?room=\(Self.room())", 409, "room_exists", "evening-process"),
            ("\(base)/r1/create?room=\(Self.room(kind: "lecture"))", 400, "invalid_room", "kind"),
            ("\(base)/r1/create?room=\(Self.room(capacity: 0))", 400, "invalid_room", "room.capacity"),
            ("\(base)/r1/create?room=\(Self.room(capacity: 100_000))", 400, "invalid_room", "room.capacity"),
            (
                "\(base)/r1/create?room=\(Self.room(policy: #"{"autoAdmitt":true}"#))", 400, "invalid_room",
                "room.policy.autoAdmitt"
            ),
            (
                "\(base)/r1/create?room=\(Self.room(policy: #"{"maximumMessageLength":0}"#))", 400, "invalid_room",
                "policy.maximumMessageLength"
            ),
            (
                "\(base)/r1/create?room=\(Self.room(policy: #"{"reconnectWindowSeconds":9223372036854775}"#))", 400,
                "invalid_room", "policy.reconnectWindowSeconds"
            ),
            ("\(base)/r1/create?room=\(Self.room(title: ""))", 400, "invalid_room", "room.title"),
            (
                "\(base)/r1/create?room=\(AdminProgramTests.encoded(#"{"kind":"skills"}"#))", 400, "invalid_parameter",
                "room"
            ),
            ("\(base)/r1/create?room=not-json", 400, "invalid_parameter", "room"),
            ("\(base)/r1/create", 400, "invalid_parameter", "room"),
            (
                "\(base)/r1/create?room=\(AdminProgramTests.encoded(#"{"title":"x","kind":"skills","capacity":3,"colour":1}"#))",
                400, "invalid_room", "room.colour"
            ),
            ("\(base)/no-such-room/update?room=\(Self.room())", 404, "unknown_room", "room"),
            ("\(base)/no-such-room/enrol?member=m-1&enrolled=2026-01-05", 404, "unknown_room", "room"),
        ]
        for (path, status, code, key) in cases {
            let answer = try await admin.request("POST", path, token: op)
            #expect(answer.status == status, "\(path): \(answer.body)")
            #expect(try admin.errorCode(answer.body) == code, "\(path)")
            #expect(answer.body.contains(key), "\(path): \(answer.body)")
        }
        #expect(try await admin.request("POST", "\(base)/r1/create?room=\(Self.room())", token: op).status == 200)
        let full = try await admin.request("POST", "\(base)/r2/create?room=\(Self.room())", token: op)
        #expect(full.status == 409)
        #expect(try admin.errorCode(full.body) == "room_limit")
        #expect(harness.application.rooms.count == 4)
        // Only the one accepted change was stored.
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        #expect(try store.read { try $0.scalar("SELECT count(*) FROM rooms") } == .integer(1))
        #expect(try store.read { try $0.scalar("SELECT count(*) FROM program_audit") } == .integer(1))
    }

    @Test(arguments: RecordBackends.all)
    func aCreatedRoomIsJoinableAtOnceAndOutlivesARestart(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        let admin = AdminFixture(harness: harness)
        let op = try await admin.token(member: "op-1")
        let created = try await admin.request(
            "POST", "/v1/admin/rooms/tuesday-skills/create?room=\(Self.room(policy: #"{"autoAdmit":true}"#))",
            token: op)
        #expect(created.status == 200, "\(created.body)")
        let facilitator = try await Self.join(harness, admin, room: "tuesday-skills")
        let snapshot = try #require(await admin.waitFor(facilitator, "room.snapshot"))
        #expect(snapshot.contains(#""title":"Tuesday skills""#))
        // Its program through the existing routes; a participant's words never reach the new records.
        let schedule = AdminProgramTests.encoded(AdminProgramTests.schedule())
        #expect(
            try await admin.request("POST", "/v1/admin/rooms/tuesday-skills/schedule?schedule=\(schedule)", token: op)
                .status == 200)
        facilitator.send(text: RoomWire.command("chat.send", "c1", #""text":"\#(Self.canary)""#))
        try await admin.waitFor(facilitator, Self.canary)
        // Someone is in it: a change waits until it is empty.
        let busy = try await admin.request(
            "POST", "/v1/admin/rooms/tuesday-skills/update?room=\(Self.room(title: "Renamed"))", token: op)
        #expect(busy.status == 409)
        #expect(try admin.errorCode(busy.body) == "room_occupied")
        let listed = try await admin.request("GET", "/v1/admin/rooms", token: op)
        #expect(listed.body.contains(#""id":"tuesday-skills""#))
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        store.flush()
        for table in ["rooms", "program_audit", "room_programs"] {
            let dump = try store.read { try $0.query("SELECT * FROM \(table)") }
            #expect(!"\(dump)".contains(Self.canary), "\(table)")
            #expect(!"\(dump)".contains("Dana"), "\(table): no alias")
        }
        // The file's room changed while empty: its new title is what the next arrival sees.
        let renamed = try await admin.request(
            "POST", "/v1/admin/rooms/family-session/update?room=\(Self.room(title: "Family evening", kind: "family"))",
            token: op)
        #expect(renamed.status == 200, "\(renamed.body)")
        harness.application.shutdown()
        harness.stop(keepingData: true)

        let again = try await ServerHarness(settings: settings, dataDirectory: harness.dataDirectory)
        defer { again.stop() }
        #expect(again.application.rooms.map(\.id).suffix(1) == ["tuesday-skills"])
        #expect(again.application.programs["tuesday-skills"]?.schedule != nil)
        let back = try await Self.join(again, AdminFixture(harness: again), room: "tuesday-skills")
        #expect(try await AdminFixture(harness: again).waitFor(back, #""title":"Tuesday skills""#) != nil)
        let family = try await Self.join(again, AdminFixture(harness: again), room: "family-session")
        #expect(try await AdminFixture(harness: again).waitFor(family, #""title":"Family evening""#) != nil)
    }
}
