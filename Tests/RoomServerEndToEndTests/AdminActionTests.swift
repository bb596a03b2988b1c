import Foundation
import Logging
import RoomCore
import RoomProtocol
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

@testable import RoomServer

/// What the admin API does on a real server: closing a room, revoking a token
/// durably, draining.
@Suite(.serialized) struct AdminActionTests {
    @Test(arguments: RecordBackends.all)
    func closingARoomEndsTheSessionAndIsAudited(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let token = try await admin.token(member: "op-closer")
        let (facilitator, participant) = try await admin.startSession()
        let answer = try await admin.request("POST", "/v1/admin/rooms/\(AdminFixture.room)/close", token: token)
        #expect(answer.status == 200)
        #expect(answer.body == #"{"ok":true,"room":"evening-process"}"# + "\n")
        for client in [facilitator, participant] {
            #expect(try await admin.waitFor(client, "session.ended") != nil)
            #expect(try await admin.closeCode(client) == RoomCloseCode.sessionEnded)
        }
        let again = try await admin.request("POST", "/v1/admin/rooms/\(AdminFixture.room)/close", token: token)
        #expect(again.status == 409)
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        store.flush()
        let audit = try store.read { db in
            try db.query("SELECT actor, action FROM moderation_audit WHERE action = 'session_ended'")
                .map { ($0["actor"].text, $0["action"].text) }
        }
        #expect(audit.count == 1)
        #expect(audit.first?.0 == "op-closer")
    }

    @Test(arguments: RecordBackends.all)
    func aRevokedTokenIsClosedCannotResumeAndStaysRevokedAfterARestart(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let token = try await admin.token(member: "op-1")
        let memberToken = try await admin.token(
            member: "par-9", alias: "Sam", role: "participant", tokenID: "jti-par-9")
        let member = try await admin.join(memberToken)
        try await admin.waitFor(member, "agreement.required")

        let answer = try await admin.request("POST", "/v1/admin/tokens/jti-par-9/revoke", token: token)
        #expect(answer.status == 200)
        let outcome = try JSONDecoder().decode(AdminOutcome.self, from: Data(answer.body.utf8))
        #expect(outcome == AdminOutcome(tokenID: "jti-par-9", alreadyRevoked: false, closedConnections: 1))
        #expect(try await admin.closeCode(member) == RoomCloseCode.revoked)
        await #expect(throws: (any Error).self, "resume with the revoked token") {
            _ = try await admin.join(memberToken)
        }
        #expect(harness.application.authFailures.count(of: "revoked_token") == 1)
        let twice = try await admin.request("POST", "/v1/admin/tokens/jti-par-9/revoke", token: token)
        #expect(twice.body.contains(#""already_revoked":true"#))

        // A new process on the same data folder reads the revocation back.
        let application = harness.application
        try await offPool { application.shutdown() }
        let restarted = try await ServerApplication(settings: application.settings, logger: Logger(label: "test"))
        #expect(restarted.authority.revocations.contains("jti-par-9"))
        let verdict = await restarted.authority.verify(memberToken, room: AdminFixture.room, now: Date())
        #expect(verdict == .failure(.revokedToken))
        try await offPool { restarted.shutdown() }
    }

    @Test func anAdminDrainRefusesNewMembersTellsRoomsAndEndsWhenTheyFinish() async throws {
        var settings = ServerSettings()
        settings.drainGracePeriod = .seconds(60)  // the room's own end, not the grace, finishes this drain
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let token = try await admin.token(member: "op-1")
        let (facilitator, participant) = try await admin.startSession()

        let answer = try await admin.request("POST", "/v1/admin/drain", token: token)
        #expect(answer.status == 202)
        #expect(answer.body == #"{"ok":true,"already_draining":false,"grace_seconds":60}"# + "\n")
        #expect(try await admin.waitFor(participant, "going_away") != nil)
        #expect(try await admin.request("GET", "/readyz").status == 503)
        #expect(try await admin.request("GET", "/livez").status == 200)
        let latecomer = try await admin.token(member: "par-late", alias: "Late", role: "participant")
        await #expect(throws: (any Error).self, "no new members while draining") {
            _ = try await admin.join(latecomer)
        }
        let list = try await admin.request("GET", "/v1/admin/rooms", token: token)
        #expect(list.body.hasPrefix(#"{"draining":true,"#))
        let again = try await admin.request("POST", "/v1/admin/drain", token: token)
        #expect(again.body.contains(#""already_draining":true"#))
        #expect(!harness.application.drain.isFinished, "the session is still going")

        facilitator.send(text: #"{"v":1,"type":"session.end","id":"end"}"#)
        #expect(try await admin.closeCode(participant) == RoomCloseCode.sessionEnded)
        let drain = harness.application.drain
        // Bounded: far longer than the drain needs once the room is done, far shorter than the grace.
        let finished = await completes(within: .seconds(15)) { await drain.waitUntilFinished() }
        #expect(finished, "the drain ends once the room's session ended, well before the 60 s grace")
    }
}
