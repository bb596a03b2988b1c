import Foundation
import RoomCore
import ServerTestSupport
import Testing
import TransportTestSupport

@testable import RoomServer

/// The whole server on the PostgreSQL backend (the test server `Scripts/test`
/// starts): members join over real sockets, the records land in PostgreSQL
/// with this node's id, the chains verify, and a chat text is nowhere in the database.
@Suite struct RecordsInPostgreSQLTests {
    @Test func aSessionIsRecordedInPostgreSQLWithoutItsContent() async throws {
        guard let server = TestPostgres.serverURL else {
            if TestPostgres.missingIsFailure {
                Issue.record(Comment(rawValue: TestPostgres.notRunMessage("RecordsInPostgreSQLTests")))
            } else {
                FileHandle.standardError.write(
                    Data((TestPostgres.notRunMessage("RecordsInPostgreSQLTests") + "\n").utf8))
            }
            return
        }
        let url = try TestPostgres.freshDatabase(serverURL: server)
        defer { TestPostgres.drop(databaseAt: url, serverURL: server) }
        var settings = ServerSettings.echoTesting
        settings.recordsBackend = .postgresql
        settings.recordsPostgreSQLURL = url
        settings.nodeID = "e2e-node"
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let canary = "pg-canary-I-relapsed-on-Tuesday-5e1d"
        let (host, guest) = try await admin.startSession()
        guest.send(text: #"{"v":1,"type":"chat.send","id":"c1","text":"\#(canary)"}"#)
        #expect(try await admin.waitFor(host, canary) != nil)
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        store.flush()

        let database = try RecordsLocation.postgresql(url: url).openForReading()
        defer { try? database.close() }
        try database.transaction { session in
            let stays = try session.query("SELECT member, role, node, admitted_by FROM attendance ORDER BY id")
            #expect(stays.map { $0["member"].text } == ["fac-1", "par-1"])
            #expect(stays.allSatisfy { $0["node"] == .text("e2e-node") })
            #expect(stays.last?["admitted_by"] == .text("fac-1"))
            #expect(
                try session.texts("SELECT event FROM attendance_events WHERE member = 'par-1' ORDER BY id")
                    == ["connected", "consented", "admitted"])
            #expect(try session.texts("SELECT action FROM moderation_audit ORDER BY id").contains("admitted"))
            #expect(try session.texts("SELECT node FROM node_heartbeats") == ["e2e-node"])
            let verification = try RecordChain.verify(session)
            #expect(verification.isIntact)
            #expect(
                verification.rowsChecked["attendance_events", default: 0] >= 4, "two arrivals, a consent, an admission")
            // Every text column of every table, every row: the chat text is in none of them.
            let columns = try session.query(
                """
                SELECT table_name, column_name FROM information_schema.columns
                WHERE table_schema = 'public' AND data_type = 'text' ORDER BY table_name, column_name
                """)
            #expect(columns.count >= 20)
            var values = 0
            for column in columns {
                let table = try column.text("table_name")
                let name = try column.text("column_name")
                // Names from the catalogue, not from input.
                let texts = try session.texts("SELECT \"\(name)\" FROM \"\(table)\" WHERE \"\(name)\" IS NOT NULL")
                values += texts.count
                #expect(!texts.contains { $0.contains("canary") }, "\(table).\(name) holds the chat text")
            }
            #expect(values > 20, "the scan read the records")
        }
    }
}
