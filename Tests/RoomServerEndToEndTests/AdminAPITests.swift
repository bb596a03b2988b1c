import Foundation
import RoomCore
import RoomProtocol
import ServerTestSupport
import SocketTransport
import Testing

@testable import RoomServer

/// The admin API's routes and authentication on a real server: only an
/// operator token gets in, an operator token never opens a room, and the
/// roster names members by id only.
@Suite(.serialized) struct AdminAPITests {
    @Test func onlyAValidOperatorTokenReachesTheAdminAPI() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let missing = try await admin.request("GET", "/v1/admin/rooms")
        #expect(missing.status == 401)
        #expect(try admin.errorCode(missing.body) == "missing_token")
        #expect(missing.head.contains("WWW-Authenticate: Bearer"))
        for role in ["participant", "facilitator"] {
            let member = try await admin.token(member: "m-\(role)", alias: "Sam", role: role)
            let refused = try await admin.request("GET", "/v1/admin/rooms", token: member)
            #expect(refused.status == 403, "\(role) token")
            #expect(try admin.errorCode(refused.body) == "wrong_role")
        }
        let expired = try await admin.token(member: "op-old", expires: Date() - 60)
        let late = try await admin.request("GET", "/v1/admin/rooms", token: expired)
        #expect(late.status == 401)
        #expect(try admin.errorCode(late.body) == "expired_token")
        let forged = try await admin.request("GET", "/v1/admin/rooms", token: "a.b.c")
        #expect(forged.status == 401)
        #expect(try admin.errorCode(forged.body) == "invalid_token")
        #expect(harness.application.authFailures.count(of: "wrong_role") == 2)
    }

    @Test func aRevokedOperatorTokenIsRefused() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let chief = try await admin.token(member: "op-chief")
        let other = try await admin.token(member: "op-other", tokenID: "tok-other")
        #expect(try await admin.request("POST", "/v1/admin/tokens/tok-other/revoke", token: chief).status == 200)
        let refused = try await admin.request("GET", "/v1/admin/rooms", token: other)
        #expect(refused.status == 403)
        #expect(try admin.errorCode(refused.body) == "revoked_token")
    }

    @Test func routesMethodsAndBadInputGetPreciseCodes() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let token = try await admin.token(member: "op-1")
        let cases: [(String, String, Int, String)] = [
            ("GET", "/v1/admin/nothing", 404, "not_found"),
            ("GET", "/v1/admin/rooms/x/y/z", 404, "not_found"),
            ("GET", "/v1/admin/rooms/no-such-room", 404, "unknown_room"),
            ("POST", "/v1/admin/rooms/no-such-room/close", 404, "unknown_room"),
            ("POST", "/v1/admin/rooms", 405, "method_not_allowed"),
            ("GET", "/v1/admin/drain", 405, "method_not_allowed"),
            ("DELETE", "/v1/admin/tokens/abc/revoke", 405, "method_not_allowed"),
            ("POST", "/v1/admin/tokens/a*b/revoke", 400, "invalid_token_id"),
            ("POST", "/v1/admin/tokens//revoke", 400, "invalid_token_id"),
            ("POST", "/v1/admin/rooms/\(AdminFixture.room)/close", 409, "no_session"),
        ]
        for (method, path, status, code) in cases {
            let answer = try await admin.request(method, path, token: token)
            #expect(answer.status == status, "\(method) \(path)")
            #expect(try admin.errorCode(answer.body) == code, "\(method) \(path)")
        }
        let wrongMethod = try await admin.request("POST", "/v1/admin/rooms", token: token)
        #expect(wrongMethod.head.contains("Allow: GET, HEAD"))
    }

    @Test func anOperatorTokenNeverOpensARoom() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        for room in ["*", AdminFixture.room] {
            let token = try await admin.token(member: "op-1", room: room)
            await #expect(throws: (any Error).self, "operator token for room \(room)") {
                _ = try await admin.join(token)
            }
        }
        #expect(harness.application.authFailures.count(of: "wrong_role") == 2)
    }

    @Test func roomsAndRosterShowLoadByIdsRolesAndStatesOnly() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let token = try await admin.token(member: "op-1")
        let (facilitator, participant) = try await admin.startSession()
        participant.send(text: #"{"v":1,"type":"chat.send","id":"c1","text":"canary-content-Q9"}"#)
        try await admin.waitFor(facilitator, "canary-content-Q9")

        await harness.roomsSettled()  // the room publishes its load at the end of the turn that sent the chat
        let listAnswer = try await admin.request("GET", "/v1/admin/rooms", token: token)
        #expect(listAnswer.status == 200)
        #expect(listAnswer.head.contains("Content-Type: application/json"))
        let list = try JSONDecoder().decode(AdminRoomList.self, from: Data(listAnswer.body.utf8))
        #expect(!list.draining)
        #expect(list.rooms.map(\.id) == harness.application.rooms.map(\.id))
        // Every event loop's working time, and the loops did work to serve this session.
        let busy = try #require(list.loopBusySeconds)
        #expect(busy.count == ServerSettings().transport.eventLoopCount)
        #expect(busy.allSatisfy { $0 >= 0 } && busy.contains { $0 > 0 })
        let room = try #require(list.rooms.first { $0.id == AdminFixture.room })
        #expect(room.state == "in_session")
        #expect(
            room.members == [
                AdminMemberCount(role: "facilitator", state: "admitted", count: 1),
                AdminMemberCount(role: "participant", state: "admitted", count: 1),
            ])
        #expect(room.messagesIn >= 3, "agreement, admit, chat")
        #expect(room.messagesOut > room.messagesIn)
        #expect(room.fanOutCount >= 1)

        let answer = try await admin.request("GET", "/v1/admin/rooms/\(AdminFixture.room)", token: token)
        #expect(answer.status == 200)
        let detail = try JSONDecoder().decode(AdminRoomDetail.self, from: Data(answer.body.utf8))
        #expect(detail.roster.map(\.member) == ["fac-1", "par-1"])
        #expect(detail.roster.map(\.state) == ["admitted", "admitted"])
        #expect(detail.roster.allSatisfy { $0.tokenID != nil })
        for canary in ["Dana", "Sam", "canary-content-Q9"] {
            #expect(!answer.body.contains(canary), "roster leaks \(canary)")
        }
        #expect(answer.body.hasPrefix(#"{"room":{"id":"evening-process","title":"#), "fixed member order")
    }
}
