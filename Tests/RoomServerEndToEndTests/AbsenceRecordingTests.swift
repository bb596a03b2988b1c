import Foundation
import RoomCore
import ServerTestSupport
import Testing

@testable import RoomServer

/// Absence reasons recorded by a facilitator in the room, on a real server
/// over real sockets: validated against the room's schedule and roster, kept
/// in `absence_notes` (ids, an enumerated reason, times), told to
/// facilitators only, read back by the export against the plan, and nothing
/// a member wrote reaches the table.
@Suite(.serialized) struct AbsenceRecordingEndToEndTests {
    static let base = "/v1/admin/rooms/\(AdminFixture.room)"
    static let canary = "CANARY-absence-7f3e"

    /// Today's session of the every-day schedule AdminProgramTests sets (00:00 UTC).
    static var session: String { AdminProgramTests.day(offset: 0) + "T00:00" }

    static func command(_ id: String, _ member: String, _ session: String, _ reason: String?) -> String {
        let reasonField = reason.map { #","reason":"\#($0)""# } ?? ""
        let type = reason == nil ? "absence.clear" : "absence.record"
        return RoomWire.command(type, id, #""member":"\#(member)","session":"\#(session)""# + reasonField)
    }

    /// Gives the room AdminProgramTests' every-day schedule and enrols `members` from today.
    static func scheduleEveryDay(_ admin: AdminFixture, enrolling members: [String]) async throws {
        let op = try await admin.token(member: "op-1")
        let schedule = AdminProgramTests.encoded(AdminProgramTests.schedule())
        #expect(try await admin.request("POST", "\(base)/schedule?schedule=\(schedule)", token: op).status == 200)
        for member in members {
            let enrol = "\(base)/enrol?member=\(member)&enrolled=\(AdminProgramTests.today())"
            #expect(try await admin.request("POST", enrol, token: op).status == 200)
        }
    }

    /// A room that everyone left lets its lease go and starts afresh when the next
    /// member comes: what the program allows (absences to record today) survives it.
    @Test func absencesCanStillBeRecordedAfterTheRoomEmptiedAndWasTakenAgain() async throws {
        guard let settings = try RecordBackends.settings(on: .sqlite) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        try await Self.scheduleEveryDay(admin, enrolling: ["m-away"])
        let facilitator = try await admin.token(member: "fac-1", alias: "Dana", role: "facilitator")
        let first = try await admin.join(facilitator)
        try await admin.waitFor(first, "room.snapshot")
        first.send(text: Self.command("a1", "m-away", Self.session, "excused"))
        #expect(try await admin.waitFor(first, "absence.recorded") != nil)
        first.close()
        let leases = try #require(harness.application.leases)
        for _ in 0..<500 where leases.holds(AdminFixture.room) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!leases.holds(AdminFixture.room), "the emptied room let its lease go")
        let again = try await admin.join(facilitator)
        try await admin.waitFor(again, "room.snapshot")
        again.send(text: Self.command("a2", "m-away", Self.session, "unexcused"))
        #expect(try await admin.waitFor(again, "absence.recorded") != nil)
    }

    @Test(arguments: RecordBackends.all)
    func aFacilitatorRecordsAReasonThatTheExportReads(_ backend: RecordBackend) async throws {
        guard let settings = try RecordBackends.settings(on: backend) else { return }
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        try await Self.scheduleEveryDay(admin, enrolling: ["par-1", "m-away"])
        let (host, guest) = try await admin.startSession()
        guest.send(text: RoomWire.command("chat.send", "c1", #""text":"\#(Self.canary)""#))
        try await admin.waitFor(host, Self.canary)

        // Refused: a participant, a session the schedule does not have, a member not on the roster.
        guest.send(text: Self.command("p1", "m-away", Self.session, "excused"))
        #expect(try await admin.waitFor(guest, #""code":"not_permitted""#) != nil)
        host.send(text: Self.command("a1", "m-away", "2001-01-01T00:00", "excused"))
        #expect(try await admin.waitFor(host, #""code":"unknown_session""#) != nil)
        host.send(text: Self.command("a2", "m-stranger", Self.session, "excused"))
        #expect(try await admin.waitFor(host, #""code":"not_enrolled""#) != nil)
        host.send(text: RoomWire.command("absence.record", "a3", #""member":"m-away","session":"x","reason":"sick""#))
        #expect(try await admin.waitFor(host, #""code":"invalid_field""#) != nil)

        // Accepted: recorded, cleared, recorded again; the facilitator is told each time.
        host.send(text: Self.command("a4", "m-away", Self.session, "unexcused"))
        let told = try #require(await admin.waitFor(host, "absence.recorded"))
        #expect(told.contains(#""reason":"unexcused""#) && told.contains(#""by":"fac-1""#))
        host.send(text: Self.command("a5", "m-away", Self.session, nil))
        try await admin.waitFor(host, #""id":"a5""#)
        host.send(text: Self.command("a6", "m-away", Self.session, "excused"))
        try await admin.waitFor(host, #""id":"a6""#)
        // The participant never hears of it: nothing about absences before the answer to its own ping.
        guest.send(text: RoomWire.command("ping", "g-ping"))
        var heard: [String] = []
        for _ in 0..<100 {
            guard case .text(let text)? = await guest.nextMessage(timeout: .seconds(5)) else { break }
            heard.append(text)
            if text.contains(#""id":"g-ping""#) { break }
        }
        #expect(heard.last?.contains(#""id":"g-ping""#) == true)
        #expect(!heard.contains { $0.contains("absence") }, "\(heard)")

        let store = try #require(harness.application.records as? DatabaseRecordStore)
        store.flush()
        let rows = try store.read { try $0.query("SELECT * FROM absence_notes ORDER BY id") }
        #expect(rows.map { $0["reason"].text } == ["unexcused", nil, "excused"])
        #expect(rows.allSatisfy { $0["member"] == .text("m-away") && $0["recorded_by"] == .text("fac-1") })
        #expect(!"\(rows)".contains(Self.canary))
        #expect(!"\(rows)".contains("Dana") && !"\(rows)".contains("Sam"), "no alias")

        let stored = try PlanExport.stored(from: store.location, room: AdminFixture.room)
        #expect(stored.absences.map(\.reason) == [.excused])
        #expect(stored.absences.map(\.occurrence) == [Self.session])
        #expect(stored.program?.roster?.entries.map(\.member) == ["par-1", "m-away"])
    }
}
