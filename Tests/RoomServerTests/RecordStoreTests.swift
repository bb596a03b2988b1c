import Foundation
import Logging
import RoomCore
import Testing
import TransportTestSupport

@testable import RoomServer

/// The durable store against a real database, the same tests on SQLite and on
/// PostgreSQL: sessions and attendance, crash recovery, a clean stop, the
/// tamper-evident chains. (SQLite's file, its lock and PostgreSQL's nodes
/// have suites of their own.)
@Suite struct RecordStoreTests {
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
    func session(_ store: DatabaseRecordStore, room: String = "evening-process", from start: Int64 = 1_000) {
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

    @Test(arguments: RecordsUnderTest.backends)
    func aSessionIsKeptWithAttendanceAuditAndScores(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open()
        defer { store.close(at: at(0)) }
        session(store)
        store.flush()
        #expect(store.status.written == 12)
        let sessions = try store.rows("SELECT * FROM sessions")
        #expect(sessions.count == 1)
        #expect(sessions.first?["started_at"] == .integer(1_000))
        #expect(sessions.first?["ended_at"] == .integer(1_100))
        #expect(sessions.first?["end_reason"] == .text("session_ended"))
        #expect(sessions.first?["node"] == .text("node-a"))
        let m1 = try #require(try store.rows("SELECT * FROM attendance WHERE member = $1", "m1").first)
        #expect(m1["joined_at"] == .integer(1_010))
        #expect(m1["consent_version"] == .text("2026-11"))
        #expect(m1["admitted_by"] == .text("f1"))
        #expect(m1["left_at"] == .integer(1_100))
        #expect(m1["end_reason"] == .text("session_ended"))
        #expect(m1["node"] == .text("node-a"))
        #expect(try store.number("SELECT COUNT(*) FROM attendance_events") == 7)
        #expect(
            try store.texts("SELECT action FROM moderation_audit ORDER BY id")
                == ["admitted", "crisis_alert_raised", "crisis_alert_acknowledged", "session_ended"])
        #expect(try store.number("SELECT score FROM checkin_scores") == 6)
        // The next arrival after the end opens a new session.
        store.append(attendance("f1", .connected, 5_000, role: .facilitator), room: "evening-process")
        store.flush()
        #expect(try store.number("SELECT COUNT(*) FROM sessions") == 2)
        #expect(try store.verifyChains().isIntact)
    }

    @Test(arguments: RecordsUnderTest.backends)
    func aRolledBackBatchLeavesTheChainsIntact(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open()
        defer { store.close(at: at(0)) }
        store.append(attendance("f1", .connected, 1_000, role: .facilitator), room: "evening-process")
        store.flush()
        // Another connection makes score inserts fail: the next batch's chained row is rolled back with it.
        try records.refuseScores()
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
        try records.allowScores()
        store.flush()
        #expect(store.status.pending == 0)
        #expect(try store.number("SELECT COUNT(*) FROM attendance_events") == 2)
        #expect(try store.verifyChains().isIntact, "the retried row follows the last committed one")
    }

    @Test(arguments: RecordsUnderTest.backends)
    func reopeningAfterACrashClosesOpenAttendance(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let crashed = try records.open()
        crashed.append(attendance("m1", .connected, 1_000), room: "evening-process")
        crashed.append(attendance("m2", .connected, 1_500), room: "evening-process")
        crashed.append(attendance("m2", .left(.closedByClient), 2_000), room: "evening-process")
        crashed.flush()
        crashed.abandon()
        // No close: the process "died". A new process opens the same database.
        let restarted = try records.open()
        defer { restarted.close(at: at(0)) }
        // SQLite: the only server stopped, and so did the session. PostgreSQL: the node hands
        // its rooms over (the session stays open, with no node, for whichever node takes the room).
        let reason = backend == .sqlite ? "server_stopped" : "node_lost"
        let m1 = try #require(try restarted.rows("SELECT * FROM attendance WHERE member = 'm1'").first)
        #expect(m1["end_reason"] == .text(reason))
        #expect((m1["left_at"].integer).map { $0 >= 2_000 } == true, "closed at the last sign of life")
        let m2 = try #require(try restarted.rows("SELECT * FROM attendance WHERE member = 'm2'").first)
        #expect(m2["end_reason"] == .text("closed_by_client"))
        let session = try #require(try restarted.rows("SELECT end_reason, node FROM sessions").first)
        #expect(session["end_reason"] == (backend == .sqlite ? .text("server_stopped") : .null))
        #expect(backend == .sqlite || session["node"] == .null)
        #expect(try restarted.texts("SELECT detail FROM attendance_events ORDER BY id DESC LIMIT 1") == [reason])
        #expect(try restarted.verifyChains().isIntact)
    }

    @Test(arguments: RecordsUnderTest.backends)
    func aCleanCloseCommitsEverythingAndClosesOpenAttendance(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open()
        for index in 0..<200 {
            store.append(attendance(MemberID("m\(index)"), .connected, 1_000 + Int64(index)), room: "r")
        }
        store.close(at: at(9_000))
        let reopened = try records.open()
        defer { reopened.close(at: at(9_000)) }
        #expect(try reopened.number("SELECT COUNT(*) FROM attendance") == 200)
        let reason = backend == .sqlite ? "server_stopped" : "node_stopped"
        #expect(
            try reopened.number("SELECT COUNT(*) FROM attendance WHERE left_at = 9000 AND end_reason = $1", reason)
                == 200)
    }

    @Test(arguments: RecordsUnderTest.backends)
    func appendNeverWaitsForTheWriter(_ backend: RecordBackend) async throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        try await offPool { try appendWhileTheWriterIsBusy(records) }
    }

    /// Blocks (the writer, then `flush`): run off the cooperative pool.
    func appendWhileTheWriterIsBusy(_ records: RecordsUnderTest) throws {
        let store = try records.open()
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

    @Test(arguments: RecordsUnderTest.backends)
    func verificationNamesTheFirstEditedOrDeletedRow(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open()
        session(store)
        store.close(at: at(0))
        #expect(
            try RecordChain.verify(records.location)
                == ChainVerification(
                    rowsChecked: ["attendance_events": 7, "moderation_audit": 4, "program_audit": 0], firstBreak: nil))
        try records.behindTheStore("UPDATE moderation_audit SET target = 'someone-else' WHERE id = 2")
        let edited = try RecordChain.verify(records.location)
        #expect(edited.firstBreak == ChainBreak(table: "moderation_audit", row: 2, problem: .contentHashMismatch))
        #expect(edited.firstBreak?.description == "moderation_audit row 2: content_hash_mismatch")
        try records.behindTheStore("DELETE FROM attendance_events WHERE id = 3")
        let deleted = try RecordChain.verify(records.location)
        #expect(deleted.firstBreak == ChainBreak(table: "attendance_events", row: 4, problem: .previousHashMismatch))
    }

    @Test(arguments: RecordsUnderTest.backends)
    func programsInvitationsAndRevocationsAreKeptAndAudited(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open()
        defer { store.close(at: at(0)) }
        let change = { (action: ProgramChange.Action, member: String?, ms: Int64) in
            ProgramChange(actor: "op1", action: action, member: member, at: at(ms))
        }
        try store.storeProgram("{\"v\":1}", room: "r", change: change(.scheduleSet, nil, 1_000))
        try store.storeProgram("{\"v\":2}", room: "r", change: change(.enrolled, "m1", 2_000))
        #expect(try store.storedPrograms() == ["r": "{\"v\":2}"])
        try store.storeInvitation(tokenID: "t1", room: "r", expires: at(90_000), change: change(.invited, "m1", 3_000))
        try store.storeInvitation(tokenID: "t2", room: "r", expires: at(90_000), change: change(.invited, "m1", 3_500))
        #expect(try store.openInvitations(room: "r", member: "m1") == ["t1", "t2"])
        #expect(
            try store.revokeInvitations(room: "r", change: change(.invitationRevoked, "m1", 4_000)) == ["t1", "t2"])
        #expect(try store.openInvitations(room: "r", member: "m1").isEmpty)
        #expect(try store.revokeInvitations(room: "r", change: change(.invitationRevoked, "m1", 4_500)).isEmpty)
        try store.storeRevocation(of: "t9", by: "op1", at: at(5_000))
        try store.storeRevocation(of: "t9", by: "op2", at: at(6_000))
        #expect(try store.revokedTokenIDs() == ["t9"])
        #expect(
            try store.texts("SELECT action FROM program_audit ORDER BY id")
                == ["schedule_set", "enrolled", "invited", "invited", "invitation_revoked"])
        #expect(try store.verifyChains().rowsChecked["program_audit"] == 5)
        #expect(try store.verifyChains().isIntact)
    }
}
