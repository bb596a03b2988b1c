import Foundation
import Logging
import RoomCore
import Testing
import TransportTestSupport

@testable import RoomServer

/// What only the PostgreSQL backend has: several servers (node ids) sharing
/// one database, a start-up that names its setting, and chains whose bytes are
/// the same as SQLite's.
@Suite struct PostgreSQLRecordStoreTests {
    func at(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: ms) }

    func arrival(_ member: MemberID, _ ms: Int64) -> RoomCore.Record {
        .attendance(AttendanceRecord(member: member, role: .participant, event: .connected, at: at(ms)))
    }

    @Test func aNodeClosesOnlyTheAttendanceItOpened() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let a = try records.open(node: "node-a")
        a.append(arrival("m1", 1_000), room: "room-a")
        a.flush()
        // Node B starts (its crash recovery runs), works, and stops cleanly, handing its room over
        // (its stay ends node_stopped, its session stays open with no node): node A's stay stays open.
        let b = try records.open(node: "node-b")
        b.append(arrival("m2", 1_100), room: "room-b")
        b.flush()
        #expect(try b.texts("SELECT member FROM attendance WHERE left_at IS NULL ORDER BY member") == ["m1", "m2"])
        b.close(at: at(2_000))
        #expect(try a.texts("SELECT member FROM attendance WHERE left_at IS NULL") == ["m1"])
        #expect(try a.texts("SELECT end_reason FROM attendance WHERE member = 'm2'") == ["node_stopped"])
        #expect(try a.texts("SELECT room FROM sessions WHERE ended_at IS NULL ORDER BY room") == ["room-a", "room-b"])
        #expect(try a.texts("SELECT room FROM sessions WHERE node IS NULL") == ["room-b"])
        // Node A crashes; B comes back and leaves it alone; A's restart hands its own stay over.
        a.abandon()
        let b2 = try records.open(node: "node-b")
        #expect(try b2.texts("SELECT member FROM attendance WHERE left_at IS NULL") == ["m1"])
        let a2 = try records.open(node: "node-a")
        #expect(try a2.number("SELECT COUNT(*) FROM attendance WHERE left_at IS NULL") == 0)
        #expect(try a2.texts("SELECT end_reason FROM attendance WHERE member = 'm1'") == ["node_lost"])
        #expect(try a2.texts("SELECT node FROM node_heartbeats ORDER BY node") == ["node-a", "node-b"])
        #expect(try a2.verifyChains().isIntact, "two writers, one chain")
        a2.close(at: at(3_000))
        b2.close(at: at(3_000))
    }

    @Test func twoNodesAppendingAtOnceKeepOneChain() async throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        try await offPool {
            let nodes = try ["node-a", "node-b"].map { try records.open(node: $0) }
            for index in 0..<200 {
                // Node A appends to the attendance chain first, node B to the audit chain first:
                // the chains' locks are still taken in one order, so neither waits for the other in a circle.
                let time = 1_000 + Int64(index)
                let audit = RoomCore.Record.moderation(
                    ModerationRecord(
                        actor: "f1", action: .admitted, target: MemberID("m-\(index)"), message: nil, alert: nil,
                        at: at(time)))
                nodes[0].append(arrival(MemberID("a-\(index)"), time), room: "room-a")
                nodes[0].append(audit, room: "room-a")
                nodes[1].append(audit, room: "room-b")
                nodes[1].append(arrival(MemberID("b-\(index)"), time), room: "room-b")
            }
            for node in nodes { node.flush() }
            #expect(nodes.map(\.status.failures) == [0, 0], "no transaction failed (no deadlock)")
            for node in nodes { node.close(at: at(9_000)) }
            let verification = try RecordChain.verify(records.location)
            #expect(verification.isIntact)
            #expect(verification.rowsChecked["attendance_events"] == 800, "400 arrivals and 400 node_stopped")
            #expect(verification.rowsChecked["moderation_audit"] == 400)
        }
    }

    @Test func aLostConnectionIsMadeAgainAndTheBatchIsWritten() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let store = try records.open()
        defer { store.close(at: at(9_000)) }
        store.append(arrival("m1", 1_000), room: "r")
        store.flush()
        // The server ends the store's connection (as a restart of PostgreSQL would).
        try records.behindTheStore(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            """)
        store.append(arrival("m2", 1_100), room: "r")
        // The first attempt finds the connection gone and keeps the batch; the next connects again.
        store.flush()
        store.flush()
        #expect(store.status.failures == 1)
        #expect(store.status.pending == 0 && store.status.written == 2)
        #expect(try store.texts("SELECT member FROM attendance ORDER BY id") == ["m1", "m2"])
        #expect(try store.verifyChains().isIntact)
    }

    @Test func theSameRecordsHashTheSameOnBothBackends() throws {
        guard let postgres = try RecordsUnderTest.make(.postgresql) else { return }
        let sqlite = try #require(try RecordsUnderTest.make(.sqlite))
        var hashes: [[String]] = []
        for records in [sqlite, postgres] {
            let store = try records.open()
            RecordStoreTests().session(store)
            store.close(at: at(5_000))
            let database = try records.location.openForReading()
            hashes.append(
                try database.transaction { session in
                    try ["attendance_events", "moderation_audit"].flatMap {
                        try session.texts("SELECT hash FROM \($0) ORDER BY id")
                    }
                })
        }
        #expect(hashes[0].count == 11)
        #expect(hashes[0] == hashes[1])
    }

    @Test func anUnreachableDatabaseFailsStartUpNamingTheKeyNotThePassword() throws {
        var settings = ServerSettings()
        settings.recordsBackend = .postgresql
        // A loopback port nothing listens on (1 is tcpmux: never a PostgreSQL).
        settings.recordsPostgreSQLURL = "postgresql://iop:sw0rdfish-canary@127.0.0.1:1/iop?connect_timeout=2"
        let error = #expect(throws: SettingsError.self) {
            _ = try DatabaseRecordStore.open(settings: settings, logger: Logger(label: "test"))
        }
        let message = error?.description ?? ""
        #expect(message.contains("records.postgresqlURL"), "\(message)")
        #expect(!message.contains("sw0rdfish-canary"), "\(message)")
    }

    @Test(arguments: [
        "postgresql://iop:sw0rdfish-canary@[::1/iop", "postgresql://iop:sw0rd%zzfish-canary@h/iop",
        "postgresql://iop@h/iop?password=sw0rdfish-canary&bogus=1", "host=h password=sw0rdfish-canary bogus",
    ])
    func aURLThatDoesNotParseIsNotRepeatedWithItsPassword(_ url: String) throws {
        var settings = ServerSettings()
        settings.recordsBackend = .postgresql
        settings.recordsPostgreSQLURL = url
        let error = #expect(throws: SettingsError.self) {
            _ = try DatabaseRecordStore.open(settings: settings, logger: Logger(label: "test"))
        }
        let message = error?.description ?? ""
        #expect(message.contains("records.postgresqlURL"), "\(message)")
        #expect(!message.contains("fish-canary"), "\(message)")
    }

    @Test func libpqMessagesLoseTheirQuotedValues() {
        #expect(
            PostgreSQLConnection.clean("invalid input syntax for type bigint: \"I feel hopeless\"")
                == "invalid input syntax for type bigint: \"…\"")
        #expect(
            PostgreSQLConnection.clean("relation \"sessions\" does not exist\nLINE 1: x")
                == "relation \"sessions\" does not exist LINE 1: x")
    }
}
