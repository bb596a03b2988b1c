import Foundation
import RoomCore
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// Two whole servers in this process on one PostgreSQL database, as two
/// nodes of a cluster: a revoke through node A's admin API closes the member
/// connected to node B (LISTEN/NOTIFY), and both refuse the token afterwards.
@Suite struct ClusterRevocationTests {
    @Test func aRevokeOnOneNodeClosesTheTokensConnectionOnTheOther() async throws {
        guard let (nodeA, nodeB) = try await twoNodes() else { return }
        defer {
            nodeA.stop()
            nodeB.stop()
        }
        let adminA = AdminFixture(harness: nodeA)
        let adminB = AdminFixture(harness: nodeB)
        let memberToken = try await adminA.token(
            member: "par-7", alias: "Sam", role: "participant", tokenID: "jti-cluster-7")
        let member = try await adminB.join(memberToken)
        try await adminB.waitFor(member, "agreement.required")

        let revoke = try await adminA.request(
            "POST", "/v1/admin/tokens/jti-cluster-7/revoke", token: adminA.token(member: "op-1"))
        #expect(revoke.status == 200)
        #expect(revoke.body.contains(#""already_revoked":false"#))
        #expect(revoke.body.contains(#""closed_connections":0"#), "nothing of it was on node A")
        // The close is bounded by the wait's own deadline (10 s), not by the 1 s promise: timing is the interop test's.
        #expect(try await adminB.closeCode(member) == RoomCloseCode.revoked)
        #expect(nodeB.application.authority.revocations.contains("jti-cluster-7"))
        for admin in [adminA, adminB] {
            await #expect(throws: (any Error).self, "the revoked token upgrades nowhere") {
                _ = try await admin.join(memberToken)
            }
        }
        #expect(nodeB.application.authFailures.count(of: "revoked_token") == 1)
        #expect(nodeA.application.authFailures.count(of: "revoked_token") == 1)
    }

    @Test func aFeedThatLostItsConnectionReReadsWhatWasRevokedMeanwhile() async throws {
        guard let settings = try RecordBackends.settings(on: .postgresql) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let feed = try #require(harness.application.changeFeed)
        try await waitUntil("the feed listens") { feed.isListening }
        let url = try #require(settings.recordsPostgreSQLURL)
        // The feed's connection is cut (as a restart of PostgreSQL would) and, before it is back,
        // a revocation is written by another node without a NOTIFY this feed could hear.
        try TestPostgres.run(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'iopd-changes'
            """,
            "INSERT INTO revocations (token_id, revoked_by, revoked_at) VALUES ('jti-missed', 'op-elsewhere', 1)",
            url: url)
        try await waitUntil("the missed revocation is applied") {
            harness.application.authority.revocations.contains("jti-missed")
        }
        #expect(feed.isListening)
    }

    /// Polls `condition` every 20 ms for at most 10 s; records a failure naming `what` if it never holds.
    func waitUntil(_ what: String, _ condition: @escaping @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting: \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
