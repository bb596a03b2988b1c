import Foundation
import GRDB
import Logging
import RoomCore
import Testing
import TransportTestSupport

@testable import RoomServer

/// The durable store against a real SQLite file: schema, WAL, permissions,
/// sessions and attendance, crash recovery, and the tamper-evident chains.
@Suite struct SQLiteRecordStoreTests {
    let folder = NSTemporaryDirectory() + "iop-records-\(UUID().uuidString)"
    var path: String { folder + "/" + SQLiteRecordStore.fileName }

    func open() throws -> SQLiteRecordStore {
        try SQLiteRecordStore(dataDirectory: folder, logger: Logger(label: "test"))
    }

    func at(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: ms) }

    func attendance(_ member: MemberID, _ event: AttendanceEvent, _ ms: Int64, role: Role = .participant)
        -> RoomCore.Record
    {
        .attendance(AttendanceRecord(member: member, role: role, event: event, at: at(ms)))
    }

    func audit(
        _ action: ModerationAction, by actor: MemberID?, target: MemberID? = nil, alert: UInt64? = nil, _ ms: Int64
    )
        -> RoomCore.Record
    {
        .moderation(
            ModerationRecord(
                actor: actor, action: action, target: target, message: nil, alert: alert.map(AlertID.init), at: at(ms)))
    }

    /// A facilitator and a participant through a whole session.
    func session(_ store: SQLiteRecordStore, room: String = "evening-process", from start: Int64 = 1_000) {
        store.append(attendance("f1", .connected, start, role: .facilitator), room: room)
        store.append(attendance("f1", .admitted(by: nil), start, role: .facilitator), room: room)
        store.append(attendance("m1", .connected, start + 10), room: room)
        store.append(attendance("m1", .consented(version: "2026-11"), start + 20), room: room)
        store.append(attendance("m1", .admitted(by: "f1"), start + 30), room: room)
        store.append(audit(.admitted, by: "f1", target: "m1", start + 30), room: room)
        store.append(
            .checkInScore(
                CheckInScoreRecord(member: "m1", template: "mood", field: "mood", score: 6, at: at(start + 40))),
            room: room)
        store.append(audit(.crisisAlertRaised, by: "m1", alert: 1, start + 50), room: room)
        store.append(audit(.crisisAlertAcknowledged, by: "f1", target: "m1", alert: 1, start + 60), room: room)
        store.append(audit(.sessionEnded, by: "f1", start + 100), room: room)
        store.append(attendance("f1", .left(.sessionEnded), start + 100, role: .facilitator), room: room)
        store.append(attendance("m1", .left(.sessionEnded), start + 100), room: room)
    }

    @Test func chainHashesKeepTheirHexFormat() {
        let all = (0...255).map { UInt8($0) }
        #expect(
            RecordChain.hex(all) == all.map { String(format: "%02x", $0) }.joined(),
            "chains written before still verify")
    }

    @Test func fileIsMigratedInWALModeAndPrivate() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try open()
        defer { store.close(at: at(0)) }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            #expect(try FileManager.default.attributesOfItem(atPath: path + suffix)[.posixPermissions] as? Int == 0o600)
        }
        try store.read { db throws in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            #expect(
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") == [
                    "v1-records", "v2-revocations", "v3-programs", "v4-invitations", "v5-absence-notes", "v6-rooms",
                ])
            let tables = try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
            #expect(
                tables.isSuperset(of: [
                    "sessions", "attendance", "attendance_events", "moderation_audit", "checkin_scores", "server_state",
                    "absence_notes", "rooms",
                ]))
        }
    }

    @Test func aSessionIsKeptWithAttendanceAuditAndScores() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try open()
        defer { store.close(at: at(0)) }
        session(store)
        store.flush()
        #expect(store.status.written == 12)
        try store.read { db throws in
            let sessions = try Row.fetchAll(db, sql: "SELECT * FROM sessions")
            #expect(sessions.count == 1)
            #expect(sessions.first?["started_at"] == 1_000 as Int64)
            #expect(sessions.first?["ended_at"] == 1_100 as Int64)
            #expect(sessions.first?["end_reason"] == "session_ended")
            let m1 = try #require(try Row.fetchOne(db, sql: "SELECT * FROM attendance WHERE member = 'm1'"))
            #expect(m1["joined_at"] == 1_010 as Int64)
            #expect(m1["consent_version"] == "2026-11")
            #expect(m1["admitted_by"] == "f1")
            #expect(m1["left_at"] == 1_100 as Int64)
            #expect(m1["end_reason"] == "session_ended")
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attendance_events") == 7)
            #expect(
                try String.fetchAll(db, sql: "SELECT action FROM moderation_audit ORDER BY id")
                    == ["admitted", "crisis_alert_raised", "crisis_alert_acknowledged", "session_ended"])
            #expect(try Int.fetchOne(db, sql: "SELECT score FROM checkin_scores") == 6)
        }
        // The next arrival after the end opens a new session.
        store.append(attendance("f1", .connected, 5_000, role: .facilitator), room: "evening-process")
        store.flush()
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sessions") } == 2)
        #expect(try store.verifyChains().isIntact)
    }

    @Test func aRolledBackBatchLeavesTheChainsIntact() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try open()
        defer { store.close(at: at(0)) }
        store.append(attendance("f1", .connected, 1_000, role: .facilitator), room: "evening-process")
        store.flush()
        // Another connection makes score inserts fail: the next batch's chained row is rolled back with it.
        let saboteur = try DatabaseQueue(path: path)
        try saboteur.write {
            try $0.execute(
                sql: "CREATE TRIGGER refuse_scores BEFORE INSERT ON checkin_scores BEGIN SELECT RAISE(ABORT, 'no'); END"
            )
        }
        // Appended while the writer is busy (a read runs on it), so both land in one batch.
        try store.read { _ in
            store.append(attendance("m1", .connected, 1_010), room: "evening-process")
            store.append(
                .checkInScore(
                    CheckInScoreRecord(member: "m1", template: "mood", field: "mood", score: 6, at: at(1_020))),
                room: "evening-process")
        }
        store.flush()
        #expect(store.status.failures >= 1)
        #expect(store.status.pending == 2, "the batch waits for its retry")
        try saboteur.write { try $0.execute(sql: "DROP TRIGGER refuse_scores") }
        try saboteur.close()
        store.flush()
        #expect(store.status.pending == 0)
        #expect(try store.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM attendance_events") } == 2)
        #expect(try store.verifyChains().isIntact, "the retried row follows the last committed one")
    }

    @Test func reopeningAfterACrashClosesOpenAttendance() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let crashed = try open()
        crashed.append(attendance("m1", .connected, 1_000), room: "evening-process")
        crashed.append(attendance("m2", .connected, 1_500), room: "evening-process")
        crashed.append(attendance("m2", .left(.closedByClient), 2_000), room: "evening-process")
        crashed.flush()
        crashed.abandon()
        // No close: the process "died". A new process opens the same file.
        let restarted = try open()
        defer { restarted.close(at: at(0)) }
        try restarted.read { db throws in
            let m1 = try #require(try Row.fetchOne(db, sql: "SELECT * FROM attendance WHERE member = 'm1'"))
            #expect(m1["end_reason"] == "server_stopped")
            #expect((m1["left_at"] as Int64?).map { $0 >= 2_000 } == true, "closed at the last sign of life")
            let m2 = try #require(try Row.fetchOne(db, sql: "SELECT * FROM attendance WHERE member = 'm2'"))
            #expect(m2["end_reason"] == "closed_by_client")
            #expect(try String.fetchOne(db, sql: "SELECT end_reason FROM sessions") == "server_stopped")
            #expect(
                try String.fetchOne(db, sql: "SELECT detail FROM attendance_events ORDER BY id DESC LIMIT 1")
                    == "server_stopped")
        }
        #expect(try restarted.verifyChains().isIntact)
    }

    @Test func aCleanCloseCommitsEverythingAndClosesOpenAttendance() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try open()
        for index in 0..<200 {
            store.append(attendance(MemberID("m\(index)"), .connected, 1_000 + Int64(index)), room: "r")
        }
        store.close(at: at(9_000))
        let reopened = try open()
        defer { reopened.close(at: at(9_000)) }
        try reopened.read { db throws in
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM attendance") == 200)
            #expect(
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM attendance WHERE left_at = 9000 AND end_reason = 'server_stopped'")
                    == 200)
        }
    }

    @Test func appendNeverWaitsForTheWriter() async throws {
        try await offPool { try appendWhileTheWriterIsBusy() }
    }

    /// Blocks (the writer, then `flush`): run off the cooperative pool.
    func appendWhileTheWriterIsBusy() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try open()
        defer { store.close(at: at(0)) }
        // Hold the writer busy, as a slow disk would, until the appends are done.
        let busy = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? store.read { _ in
                busy.signal()
                release.wait()
            }
        }
        busy.wait()
        let start = ContinuousClock.now
        for index in 0..<1000 { store.append(attendance(MemberID("m\(index)"), .connected, 1_000), room: "r") }
        #expect(ContinuousClock.now - start < .milliseconds(500), "1000 appends while the writer is busy")
        #expect(store.status.pending == 1000)
        release.signal()
        store.flush()
        #expect(store.status == (pending: 0, written: 1000, failures: 0))
    }

    @Test func aSecondStoreOnTheSameFolderIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try open()
        #expect(throws: SettingsError.self) { try open() }
        first.close(at: at(0))
        try open().close(at: at(0))
    }

    @Test func verificationNamesTheFirstEditedOrDeletedRow() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try open()
        session(store)
        store.close(at: at(0))
        #expect(
            try RecordChain.verify(databaseAt: path)
                == ChainVerification(
                    rowsChecked: ["attendance_events": 7, "moderation_audit": 4, "program_audit": 0], firstBreak: nil))
        let database = try DatabaseQueue(path: path)
        try database.write { try $0.execute(sql: "UPDATE moderation_audit SET target = 'someone-else' WHERE id = 2") }
        let edited = try RecordChain.verify(databaseAt: path)
        #expect(edited.firstBreak == ChainBreak(table: "moderation_audit", row: 2, problem: .contentHashMismatch))
        #expect(edited.firstBreak?.description == "moderation_audit row 2: content_hash_mismatch")
        try database.write { try $0.execute(sql: "DELETE FROM attendance_events WHERE id = 3") }
        let deleted = try RecordChain.verify(databaseAt: path)
        #expect(deleted.firstBreak == ChainBreak(table: "attendance_events", row: 4, problem: .previousHashMismatch))
        try database.close()
    }
}
