import Foundation
import RoomCore
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// The records database away (PostgreSQL refusing this database's
/// connections) under a whole server with a small `records.maxQueuedRecords`:
/// the session goes on, records queue, past the bound a new member is refused
/// with 503 `records_unavailable` and `/readyz` says so; when the database
/// returns everything queued is written in order and members join again.
@Suite struct RecordsOutageTests {
    @Test func pastTheBoundNewMembersAreRefusedAndNothingIsLostWhenTheDatabaseReturns() async throws {
        guard var settings = try RecordBackends.settings(on: .postgresql),
            let server = TestPostgres.serverURL, let url = settings.recordsPostgreSQLURL,
            let name = URLComponents(string: url)?.path.dropFirst()
        else { return }
        settings.recordsMaxQueued = 3
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let (host, guest) = try await admin.startSession()
        store.flush()
        #expect(store.availability == .writing)

        // The database goes away: no new connection to it, the open ones ended.
        try TestPostgres.run(
            "ALTER DATABASE \(name) ALLOW_CONNECTIONS false",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'", url: server)
        for step in 1...2 {
            guest.send(text: #"{"v":1,"type":"presence.step_out","id":"out\#(step)"}"#)
            try await admin.waitFor(guest, "out\(step)")
            guest.send(text: #"{"v":1,"type":"presence.come_back","id":"back\#(step)"}"#)
            try await admin.waitFor(guest, "back\(step)")
        }
        try await poll("the queue reaches its bound after a failed write") {
            guard case .full = store.availability else { return false }
            return !store.outageStatus.databaseUp
        }
        let ready = try await admin.request("GET", "/readyz")
        #expect(ready.status == 503 && ready.body.hasPrefix("records_unavailable"))
        let metrics = try await admin.request("GET", "/metrics")
        #expect(metrics.body.contains("iop_records_database_up 0"))
        let newcomer = try await admin.token(member: "par-2", alias: "Kai", role: "participant")
        let refused = try await admin.request("GET", "/v1/rooms/\(AdminFixture.room)", token: newcomer)
        #expect(refused.status == 503 && refused.body.hasPrefix("records_unavailable"), "\(refused)")
        #expect(store.outageStatus.refusedJoins == 1)
        // The members already in go on.
        host.send(text: #"{"v":1,"type":"chat.send","id":"c1","text":"still here"}"#)
        #expect(try await admin.waitFor(guest, "still here") != nil)

        try TestPostgres.run("ALTER DATABASE \(name) ALLOW_CONNECTIONS true", url: server)
        try await poll("the queue is written") { store.availability == .writing && store.status.pending == 0 }
        #expect(try await admin.request("GET", "/readyz").status == 200)
        let joined = try await admin.join(newcomer)
        try await admin.waitFor(joined, "agreement.required")
        store.flush()
        let steps = try store.read { session in
            try session.texts(
                "SELECT event FROM attendance_events WHERE member = 'par-1' AND event LIKE 'stepped%' ORDER BY id")
        }
        #expect(steps == ["stepped_out", "stepped_back", "stepped_out", "stepped_back"])
        #expect(try store.verifyChains().isIntact)
        #expect(store.outageStatus.dropped == 0)
    }

    @Test func atTwiceTheBoundRecordsAreDroppedAndCountedSoMemoryStaysBounded() async throws {
        guard var settings = try RecordBackends.settings(on: .postgresql),
            let server = TestPostgres.serverURL, let url = settings.recordsPostgreSQLURL,
            let name = URLComponents(string: url)?.path.dropFirst()
        else { return }
        settings.recordsMaxQueued = 1
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let (_, guest) = try await admin.startSession()
        store.flush()
        try TestPostgres.run(
            "ALTER DATABASE \(name) ALLOW_CONNECTIONS false",
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '\(name)'", url: server)
        defer { try? TestPostgres.run("ALTER DATABASE \(name) ALLOW_CONNECTIONS true", url: server) }
        for step in 1...4 {
            guest.send(text: #"{"v":1,"type":"presence.step_out","id":"out\#(step)"}"#)
            try await admin.waitFor(guest, "out\(step)")
            guest.send(text: #"{"v":1,"type":"presence.come_back","id":"back\#(step)"}"#)
            try await admin.waitFor(guest, "back\(step)")
        }
        // Eight records made while away: at most two queued, the rest dropped (also when a failed
        // retry's batch comes back in front of records that arrived meanwhile).
        try await poll("records are dropped past twice the bound") { store.outageStatus.dropped >= 6 }
        #expect(store.status.pending <= 2)
        let metrics = try await admin.request("GET", "/metrics")
        #expect(metrics.body.contains("iop_records_dropped_total \(store.outageStatus.dropped)"))
        #expect(metrics.body.contains("iop_records_queue_limit 1"))
    }

    /// Polls `condition` every 20 ms for at most 15 s; records a failure naming `what` if it never holds.
    private func poll(_ what: String, _ condition: @escaping @Sendable () -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(15)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting: \(what)")
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
