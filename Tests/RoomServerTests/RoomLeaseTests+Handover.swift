import RoomCore
import Testing

@testable import RoomServer

/// A node that stops, cleanly or not, on a database several nodes share hands its
/// rooms over: the next node to take a room (another, or the same one restarted)
/// restores the places, as long as the members have not been away longer than the
/// room's reconnect window.
extension RoomLeaseTests {
    /// Node A holds `room-a` with a facilitator, two admitted participants and a crisis
    /// alert of p2's left open; returns A and the instant the records start at.
    func roomInSession(_ records: RecordsUnderTest, _ clock: ManualLeaseClock) throws -> (DatabaseRecordStore, Int64) {
        let t = clock.now.millisecondsSinceEpoch
        let a = try records.open(node: "node-a")
        _ = leases(a, clock).acquireNow("room-a")
        a.append(record("f1", .facilitator, .connected, t), room: "room-a")
        for member: MemberID in ["p1", "p2"] {
            a.append(record(member, .participant, .connected, t + 1), room: "room-a")
            a.append(record(member, .participant, .consented(version: "v1"), t + 2), room: "room-a")
            a.append(record(member, .participant, .admitted(by: "f1"), t + 3), room: "room-a")
        }
        a.append(alert(.crisisAlertRaised, by: "p2", 1, t + 4), room: "room-a")
        a.flush()
        return (a, t)
    }

    func everyPlace(alertAt t: Int64) -> RoomPlaces {
        RoomPlaces(
            admitted: ["f1": .facilitator, "p1": .participant, "p2": .participant], consents: ["p1": "v1", "p2": "v1"],
            openAlerts: [
                OpenAlertPlace(id: AlertID(1), member: "p2", raisedAt: Timestamp(millisecondsSinceEpoch: t + 4))
            ],
            lastAlertID: 1)
    }

    /// A rolling restart: node A drains and stops; node B takes the room at once (A let its
    /// lease go) with every place and the open alert; the session goes on, now B's.
    @Test func aCleanStopHandsTheRoomToTheNextNodeWithEveryPlace() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let clock = ManualLeaseClock()
        let (a, t) = try roomInSession(records, clock)
        a.close(at: Timestamp(millisecondsSinceEpoch: t + 1_000))
        let b = try records.open(node: "node-b")
        defer { b.close(at: Timestamp(millisecondsSinceEpoch: t + 9_000)) }
        #expect(try b.texts("SELECT DISTINCT end_reason FROM attendance") == ["node_stopped"])
        #expect(try b.number("SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL AND node IS NULL") == 1)
        clock.advance(.seconds(1))
        #expect(leases(b, clock).acquireNow("room-a") == .taken(everyPlace(alertAt: t)))
        #expect(try b.texts("SELECT node FROM sessions") == ["node-b"])
        #expect(try b.verifyChains().isIntact)
    }

    /// A node killed and restarted before any other node took its rooms: its crash
    /// recovery hands them over instead of ending their sessions, and it takes them back.
    @Test func aNodeRestartedAfterACrashTakesItsRoomsBackWithTheirPlaces() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let clock = ManualLeaseClock()
        let (a, t) = try roomInSession(records, clock)
        a.abandon()
        clock.advance(.seconds(2))
        let restarted = try records.open(node: "node-a")
        defer { restarted.close(at: Timestamp(millisecondsSinceEpoch: t + 9_000)) }
        #expect(try restarted.texts("SELECT DISTINCT end_reason FROM attendance") == ["node_lost"])
        #expect(try restarted.number("SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL") == 1)
        #expect(leases(restarted, clock).acquireNow("room-a") == .taken(everyPlace(alertAt: t)))
    }

    /// Places are kept for the room's reconnect window, as for a dropped connection: a
    /// room nobody came back to for longer starts afresh, its old session closed.
    @Test func placesRunOutWithTheReconnectWindow() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let clock = ManualLeaseClock()
        let (a, t) = try roomInSession(records, clock)
        a.close(at: Timestamp(millisecondsSinceEpoch: t + 1_000))
        let b = try records.open(node: "node-b")
        defer { b.close(at: Timestamp(millisecondsSinceEpoch: t + 900_000)) }
        clock.advance(.seconds(122))
        #expect(leases(b, clock).acquireNow("room-a", placesKeptFor: .seconds(120)) == .taken(nil))
        #expect(try b.texts("SELECT end_reason FROM sessions") == ["server_stopped"])
        b.append(record("p1", .participant, .connected, t + 122_000), room: "room-a")
        b.flush()
        #expect(try b.number("SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL") == 1)
        #expect(try b.number("SELECT COUNT(DISTINCT session_id) FROM attendance") == 2)
    }

    /// Within the window each member's own absence counts: one back at the old node a
    /// moment before it died keeps their place; one away since an earlier death does not.
    @Test func eachMembersPlaceRunsOutOnItsOwn() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let clock = ManualLeaseClock()
        let (a, t) = try roomInSession(records, clock)
        a.abandon()
        clock.advance(.seconds(5))
        let b = try records.open(node: "node-b")
        _ = leases(b, clock).acquireNow("room-a")
        clock.advance(.seconds(100))
        b.append(record("p1", .participant, .connected, t + 105_000), room: "room-a")
        b.append(record("p1", .participant, .admitted(by: nil), t + 105_001), room: "room-a")
        b.flush()
        b.abandon()  // p2 and f1 have been away since node A died, 105 s ago
        clock.advance(.seconds(30))
        let c = try records.open(node: "node-c")
        defer { c.close(at: Timestamp(millisecondsSinceEpoch: t + 900_000)) }
        guard case .taken(let places?) = leases(c, clock).acquireNow("room-a", placesKeptFor: .seconds(120)) else {
            Issue.record("node C did not take the room with its places")
            return
        }
        #expect(places.admitted == ["p1": .participant])
        #expect(places.openAlerts.map(\.member) == ["p2"], "an open alert is never dropped")
    }
}
