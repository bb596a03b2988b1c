import Foundation
import Logging
import RoomCore
import ServerTestSupport
import Testing

@testable import RoomServer

/// The real records store with one call made to fail on demand: the seam for
/// the invitation route's failure paths. Every other call reaches the database.
final class ProgramStoreFailingOpenInvitations: ProgramStore, @unchecked Sendable {
    // `base` is itself thread-safe; nothing else is mutable.
    let base: DatabaseRecordStore

    struct Unreadable: Error {}

    init(_ base: DatabaseRecordStore) { self.base = base }

    func storedPrograms() throws -> [String: String] { try base.storedPrograms() }
    func storedProgram(_ room: String) throws -> String? { try base.storedProgram(room) }
    func storeProgram(_ document: String, room: String, change: ProgramChange) throws {
        try base.storeProgram(document, room: room, change: change)
    }
    func storeInvitation(tokenID: String, room: String, expires: Timestamp, change: ProgramChange) throws {
        try base.storeInvitation(tokenID: tokenID, room: room, expires: expires, change: change)
    }
    func openInvitations(room: String, member: String) throws -> [String] { throw Unreadable() }
    func revokeInvitations(room: String, change: ProgramChange) throws -> [String] {
        try base.revokeInvitations(room: room, change: change)
    }
}

/// The invitation route when the store cannot be read or the token cannot be
/// signed: 500 with its own code, no second token, the earlier invitation
/// still open and still opening the room, nothing written.
@Suite(.serialized) struct InvitationFailureTests {
    static let base = InvitationTests.base

    /// The harness's admin router, with `store` and `signer` in place of its own.
    static func router(
        _ harness: ServerHarness, store: any ProgramStore, signer: (@Sendable (TokenClaims) -> String?)? = nil
    ) throws -> AdminRouter {
        let application = harness.application
        let programs = try ProgramRegistry(
            rooms: application.directory, file: [:], store: store, logger: Logger(label: "test"))
        var router = AdminRouter(
            rooms: application.directory, authority: application.authority,
            revocationStore: application.records as? any RevocationStore, registry: application.connections,
            drain: application.drain, authFailures: application.authFailures, logger: Logger(label: "test"),
            programs: programs)
        router.signInvitation = signer
        return router
    }

    /// An enrolled member with one invitation issued through the real API; its token.
    static func invited(_ admin: AdminFixture, operator op: String) async throws -> String {
        let today = AdminProgramTests.today()
        let enrol = try await admin.request("POST", "\(base)/enrol?member=m-ana&enrolled=\(today)", token: op)
        #expect(enrol.status == 200)
        let first = try await admin.request("POST", "\(base)/invite?member=m-ana&alias=Ana", token: op)
        #expect(first.status == 200, "\(first.body)")
        return try InvitationTests.token(of: first.body).token
    }

    static func state(_ store: DatabaseRecordStore) throws -> (open: Int64, audit: [String]) {
        try store.read { session in
            (
                try session.scalar("SELECT count(*) FROM invitations WHERE revoked_at IS NULL").integer ?? -1,
                try session.texts("SELECT action FROM program_audit ORDER BY id")
            )
        }
    }

    @Test(arguments: RecordBackends.all)
    func anUnreadableStoreIssuesNothingAndRevokesNothing(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let op = try await admin.token(member: "op-1")
        let token = try await Self.invited(admin, operator: op)
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let before = try Self.state(store)
        let router = try Self.router(harness, store: ProgramStoreFailingOpenInvitations(store))
        let caller = OperatorIdentity(id: "op-1", tokenID: "t-op")
        for query in ["member=m-ana&alias=Ana", "member=m-ana&alias=Ana&reissue=true"] {
            let answer = router.perform(.invite(AdminFixture.room), query: Substring(query), by: caller)
            let body = String(decoding: answer.body, as: UTF8.self)
            #expect(answer.status == 500, "\(query)")
            #expect(try admin.errorCode(body) == "store_failed", "\(body)")
            #expect(!body.contains("\"token\""))
        }
        #expect(try Self.state(store) == before)
        #expect(before.open == 1)
        #expect(try await InvitationTests.upgradeRefusal(admin, token) == nil)
    }

    @Test(arguments: RecordBackends.all)
    func aSigningFailureIsItsOwnCodeAndLeavesTheEarlierInvitation(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let op = try await admin.token(member: "op-1")
        let token = try await Self.invited(admin, operator: op)
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let before = try Self.state(store)
        let router = try Self.router(harness, store: store, signer: { _ in nil })
        let caller = OperatorIdentity(id: "op-1", tokenID: "t-op")
        let answer = router.perform(
            .invite(AdminFixture.room), query: "member=m-ana&alias=Ana&reissue=true", by: caller)
        let body = String(decoding: answer.body, as: UTF8.self)
        #expect(answer.status == 500)
        #expect(try admin.errorCode(body) == "signing_failed", "\(body)")
        // Nothing revoked, nothing stored, nothing audited: the earlier invitation still opens the room.
        #expect(try Self.state(store) == before)
        #expect(try await InvitationTests.upgradeRefusal(admin, token) == nil)
        // The same router with a working signer re-issues: the seam changes only the signing.
        let working = try Self.router(harness, store: store)
        let reissued = working.perform(
            .invite(AdminFixture.room), query: "member=m-ana&alias=Ana&reissue=true", by: caller)
        #expect(reissued.status == 200)
        #expect(try await InvitationTests.upgradeRefusal(admin, token) == "revoked_token")
    }
}
