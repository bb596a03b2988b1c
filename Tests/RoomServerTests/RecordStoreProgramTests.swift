import Foundation
import RoomCore
import Testing

@testable import RoomServer

/// The program's tables through the real record store, the same tests on
/// SQLite and on PostgreSQL: absence reasons appended as recorded and read
/// back by the export (the latest per member and session), and rooms stored
/// with one upsert that keeps who created them, each change audited.
@Suite struct RecordStoreProgramTests {
    func at(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: ms) }

    func absence(_ member: MemberID, _ session: String, _ reason: AbsenceMark?, _ ms: Int64) -> RoomCore.Record {
        .absence(
            AbsenceRecord(
                entry: AbsenceEntry(member: member, session: session, reason: reason), recordedBy: "f1", at: at(ms)))
    }

    @Test(arguments: RecordsUnderTest.backends)
    func absenceReasonsAreAppendedAndTheLatestPerSessionIsRead(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open()
        defer { store.close(at: at(0)) }
        let monday = "2026-03-09T18:00"
        for record in [
            absence("m1", monday, .excused, 1_000), absence("m2", monday, .unexcused, 1_010),
            absence("m1", monday, nil, 1_020), absence("m3", monday, .excused, 1_030),
            absence("m3", monday, .rescheduled, 1_040), absence("m1", "2026-03-11T18:00", .excused, 1_050),
        ] {
            store.append(record, room: "evening")
        }
        store.append(absence("m9", monday, .excused, 1_060), room: "morning")
        store.flush()
        let rows = try store.rows(
            "SELECT room, member, session, reason, recorded_by, at FROM absence_notes ORDER BY id")
        #expect(rows.count == 7)
        #expect(
            rows.map { $0["reason"].text } == [
                "excused", "unexcused", nil, "excused", "rescheduled", "excused", "excused",
            ])
        #expect(rows.allSatisfy { $0["recorded_by"] == .text("f1") })
        #expect(rows.first?["at"] == .integer(1_000) && rows.first?["session"] == .text(monday))
        #expect(try store.number("SELECT COUNT(*) FROM sessions") == 0, "an absence opens no session")

        let stored = try PlanExport.stored(from: records.location, room: "evening")
        let notes = stored.absences.map { "\($0.member) \($0.occurrence) \($0.reason)" }
        #expect(notes == ["m2 \(monday) unexcused", "m3 \(monday) rescheduled", "m1 2026-03-11T18:00 excused"])
        #expect(stored.program == nil, "no program stored at run time")
    }

    @Test(arguments: RecordsUnderTest.backends)
    func aRoomIsInsertedThenUpdatedKeepingItsCreationAndEachChangeIsAudited(_ backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open()
        defer { store.close(at: at(0)) }
        #expect(try store.storedRooms().isEmpty)
        try store.storeRoom(
            #"{"title":"Tuesday skills"}"#, id: "tuesday",
            change: ProgramChange(actor: "op-1", action: .roomCreated, member: nil, at: at(1_000)))
        try store.storeRoom(
            #"{"title":"Family"}"#, id: "family",
            change: ProgramChange(actor: "op-1", action: .roomChanged, member: nil, at: at(2_000)))
        try store.storeRoom(
            #"{"title":"Tuesday DBT skills"}"#, id: "tuesday",
            change: ProgramChange(actor: "op-2", action: .roomChanged, member: nil, at: at(3_000)))
        let rooms = try store.storedRooms()
        #expect(rooms.map(\.id) == ["tuesday", "family"], "oldest first")
        #expect(rooms.map(\.document) == [#"{"title":"Tuesday DBT skills"}"#, #"{"title":"Family"}"#])
        let tuesday = try #require(try store.rows("SELECT * FROM rooms WHERE id = $1", "tuesday").first)
        #expect(tuesday["created_by"] == .text("op-1") && tuesday["created_at"] == .integer(1_000))
        #expect(tuesday["changed_by"] == .text("op-2") && tuesday["changed_at"] == .integer(3_000))
        #expect(
            try store.texts("SELECT action FROM program_audit ORDER BY id")
                == ["room_created", "room_changed", "room_changed"])
        let verification = try store.verifyChains()
        #expect(verification.isIntact)
        #expect(verification.rowsChecked["program_audit"] == 3)
    }
}
