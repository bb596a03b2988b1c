import Foundation
import RoomCore
import ServerTestSupport
import Testing

@testable import RoomServer

/// Invitations on a real server: issued for an enrolled member through the
/// admin API (operator only), accepted at the upgrade only while the roster
/// has the member enrolled, re-issued (the earlier one refused), revoked, and
/// revoked by a discharge; a clinic's own invitation is held to the same roster.
@Suite(.serialized) struct InvitationTests {
    static let room = AdminFixture.room
    static let base = "/v1/admin/rooms/\(AdminFixture.room)"

    /// The refusal code of a room upgrade with `token` (the text before the colon), or nil when it upgrades.
    static func upgradeRefusal(_ admin: AdminFixture, _ token: String) async throws -> String? {
        let answer = try await admin.request("GET", "/v1/rooms/\(room)", token: token)
        guard answer.status == 401 || answer.status == 403 else { return nil }
        return String(answer.body.split(separator: ":").first ?? "")
    }

    static func token(of body: String) throws -> (token: String, id: String) {
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        return (try #require(object?["token"] as? String), try #require(object?["token_id"] as? String))
    }

    @Test(arguments: RecordBackends.all)
    func anInvitationOpensTheRoomWhileEnrolledAndIsReissuedAndRevoked(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let op = try await admin.token(member: "op-1")
        let today = AdminProgramTests.today()
        #expect(
            try await admin.request("POST", "\(Self.base)/enrol?member=m-ana&enrolled=\(today)", token: op).status
                == 200)
        let stranger = try await admin.request("POST", "\(Self.base)/invite?member=m-zed&alias=Zed", token: op)
        #expect(stranger.status == 404)
        #expect(try admin.errorCode(stranger.body) == "not_enrolled")
        let badAlias = try await admin.request("POST", "\(Self.base)/invite?member=m-ana", token: op)
        #expect(badAlias.status == 400)
        #expect(try admin.errorCode(badAlias.body) == "invalid_parameter")

        let first = try await admin.request("POST", "\(Self.base)/invite?member=m-ana&alias=Ana", token: op)
        #expect(first.status == 200, "\(first.body)")
        let (token, id) = try Self.token(of: first.body)
        let client = try await admin.join(token)
        try await admin.waitFor(client, "agreement.required")

        let twice = try await admin.request("POST", "\(Self.base)/invite?member=m-ana&alias=Ana", token: op)
        #expect(twice.status == 409)
        #expect(try admin.errorCode(twice.body) == "already_invited")
        let second = try await admin.request(
            "POST", "\(Self.base)/invite?member=m-ana&alias=Ana&reissue=true", token: op)
        #expect(second.status == 200)
        let (newer, newerID) = try Self.token(of: second.body)
        #expect(newerID != id)
        #expect(try await Self.upgradeRefusal(admin, token) == "revoked_token")
        #expect(try await Self.upgradeRefusal(admin, newer) == nil)

        // The store keeps ids, never the token.
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let rows = try store.read {
            try $0.query("SELECT token_id, revoked_at FROM invitations ORDER BY issued_at, token_id")
        }
        #expect(Set(rows.compactMap { $0["token_id"].text }) == [id, newerID])
        let everything = try store.read { db in
            try db.texts("SELECT token_id || member || issued_by FROM invitations")
        }
        #expect(!everything.joined().contains(newer))

        let revoked = try await admin.request("POST", "\(Self.base)/uninvite?member=m-ana", token: op)
        #expect(revoked.status == 200)
        #expect(try await Self.upgradeRefusal(admin, newer) == "revoked_token")
        let actions = try store.read {
            try $0.texts("SELECT action FROM program_audit ORDER BY id")
        }
        #expect(actions == ["enrolled", "invited", "invitation_revoked", "invited", "invitation_revoked"])
    }

    @Test func aDischargeTodayRevokesTheInvitationAndClosesItsConnection() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let op = try await admin.token(member: "op-1")
        let yesterday = AdminProgramTests.day(offset: -2)
        let today = AdminProgramTests.day(offset: 0)
        #expect(
            try await admin.request("POST", "\(Self.base)/enrol?member=m-bo&enrolled=\(yesterday)", token: op).status
                == 200)
        let issued = try await admin.request("POST", "\(Self.base)/invite?member=m-bo&alias=Bo", token: op)
        let (token, _) = try Self.token(of: issued.body)
        let client = try await admin.join(token)
        try await admin.waitFor(client, "agreement.required")
        let discharged = try await admin.request(
            "POST", "\(Self.base)/discharge?member=m-bo&discharged=\(today)", token: op)
        #expect(discharged.status == 200)
        #expect(try await admin.closeCode(client) == RoomCloseCode.revoked)
        #expect(try await Self.upgradeRefusal(admin, token) == "revoked_token")
        let again = try await admin.request("POST", "\(Self.base)/invite?member=m-bo&alias=Bo", token: op)
        #expect(again.status == 409)
        #expect(try admin.errorCode(again.body) == "already_discharged")
    }

    @Test func aClinicsOwnInvitationIsHeldToTheRosterAndItsLimits() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let op = try await admin.token(member: "op-1")
        let authority = harness.application.authority
        func invitation(_ member: String, role: String = "participant", days: Double = 60) async throws -> String {
            try await authority.issue(
                TokenClaims(
                    member: member, alias: "Cy", role: role, room: Self.room, expires: Date() + days * 86_400,
                    tokenID: UUID().uuidString, issued: Date(), kind: TokenClaims.invitationKind))
        }
        // Not on the roster: refused, though its signature and lifetime are good.
        #expect(try await Self.upgradeRefusal(admin, invitation("m-cy")) == "not_enrolled")
        let past = AdminProgramTests.day(offset: -10)
        #expect(
            try await admin.request("POST", "\(Self.base)/enrol?member=m-cy&enrolled=\(past)", token: op).status == 200)
        let minted = try await invitation("m-cy")
        #expect(try await Self.upgradeRefusal(admin, minted) == nil)
        // Longer than auth.maxInvitationLifetimeDays (120), or not a participant's: refused.
        #expect(try await Self.upgradeRefusal(admin, invitation("m-cy", days: 130)) == "token_lifetime_too_long")
        #expect(try await Self.upgradeRefusal(admin, invitation("m-cy", role: "facilitator")) == "wrong_role")
        // A plain member token still lives at most auth.maxTokenLifetimeHours.
        let plain = try await authority.issue(
            TokenClaims(
                member: "m-cy", alias: "Cy", role: "participant", room: Self.room, expires: Date() + 60 * 86_400,
                tokenID: UUID().uuidString, issued: Date()))
        #expect(try await Self.upgradeRefusal(admin, plain) == "token_lifetime_too_long")
        // Discharged yesterday: the server never saw this token's id, the roster refuses it.
        let yesterday = AdminProgramTests.day(offset: -1)
        #expect(
            try await admin.request("POST", "\(Self.base)/discharge?member=m-cy&discharged=\(yesterday)", token: op)
                .status == 200)
        #expect(try await Self.upgradeRefusal(admin, minted) == "not_enrolled")
        #expect(harness.application.authFailures.count(of: "not_enrolled") == 2)
    }

    @Test func theInvitationRoutesTakeAnOperatorTokenOnly() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let participant = try await admin.token(member: "m-p", alias: "Sam", role: "participant")
        let facilitator = try await admin.token(member: "m-f", alias: "Dana", role: "facilitator")
        for path in ["\(Self.base)/invite?member=m-1&alias=Ana", "\(Self.base)/uninvite?member=m-1"] {
            let none = try await admin.request("POST", path)
            #expect(none.status == 401)
            #expect(try admin.errorCode(none.body) == "missing_token")
            for token in [participant, facilitator] {
                let refused = try await admin.request("POST", path, token: token)
                #expect(refused.status == 403)
                #expect(try admin.errorCode(refused.body) == "wrong_role")
            }
        }
        let op = try await admin.token(member: "op-1")
        let unknown = try await admin.request("POST", "/v1/admin/rooms/nowhere/invite?member=m-1&alias=Ana", token: op)
        #expect(unknown.status == 404)
        #expect(try admin.errorCode(unknown.body) == "unknown_room")
    }
}
