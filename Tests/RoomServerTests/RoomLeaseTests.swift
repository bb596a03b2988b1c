import Foundation
import RoomCore
import SocketTransport
import Testing

@testable import RoomServer

/// A clock the test moves by hand: lease expiry without sleeping.
final class ManualLeaseClock: Sendable {
    private let instant = LockedValue(Timestamp(millisecondsSinceEpoch: 1_800_000_000_000))
    var now: Timestamp { instant.current }
    func advance(_ duration: Duration) { instant.withLock { $0 = $0 + duration } }
    var read: @Sendable () -> Timestamp { { [self] in now } }
}

/// Rooms whose lease a node lost, as the lease book reported them.
final class LostRooms: Sendable {
    private let rooms = LockedValue<[String]>([])
    var all: [String] { rooms.current }
    func note(_ room: String) { rooms.withLock { $0.append(room) } }
}

/// One owner per room (`room_leases`), on both backends; two nodes on one PostgreSQL.
@Suite struct RoomLeaseTests {
    func leases(_ store: DatabaseRecordStore, _ clock: ManualLeaseClock, lost: LostRooms = LostRooms()) -> RoomLeases {
        let leases = RoomLeases(store: store, logger: .init(label: "test"), clock: clock.read)
        leases.whenLost { lost.note($0) }
        return leases
    }

    func record(_ member: MemberID, _ role: Role, _ event: AttendanceEvent, _ ms: Int64) -> RoomCore.Record {
        .attendance(
            AttendanceRecord(member: member, role: role, event: event, at: Timestamp(millisecondsSinceEpoch: ms)))
    }

    @Test(arguments: RecordsUnderTest.backends)
    func aLeaseIsTakenOnceRenewedAndLetGo(backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open(node: "node-a")
        defer { store.close(at: Timestamp(millisecondsSinceEpoch: 0)) }
        let clock = ManualLeaseClock()
        let lost = LostRooms()
        let book = leases(store, clock, lost: lost)
        #expect(!book.holds("room-a"))
        #expect(book.acquireNow("room-a") == .taken(nil))  // no session yet: nothing to restore
        #expect(book.acquireNow("room-a") == .held)
        clock.advance(.seconds(3))
        book.renewNow()
        clock.advance(.seconds(3))  // 6 s after taking it, 3 s after renewing it
        #expect(book.holds("room-a"))
        #expect(try store.texts("SELECT node FROM room_leases") == ["node-a"])
        book.release("room-a")
        store.flush()  // the release's DELETE is queued on the writer before this
        #expect(!book.holds("room-a"))
        #expect(try store.texts("SELECT node FROM room_leases").isEmpty)
        #expect(lost.all.isEmpty)
    }

    @Test(arguments: RecordsUnderTest.backends)
    func aLeaseNotRenewedRunsOutAndTheSameNodeTakesItAgain(backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open(node: "node-a")
        defer { store.close(at: Timestamp(millisecondsSinceEpoch: 0)) }
        let clock = ManualLeaseClock()
        let book = leases(store, clock)
        _ = book.acquireNow("room-a")
        clock.advance(.seconds(4))
        #expect(!book.holds("room-a"))  // by this node's own count: no member is let in on it
        #expect(book.acquireNow("room-a") == .taken(nil))
    }

    @Test(arguments: RecordsUnderTest.backends)
    func aRoomThatStaysEmptyOverTwoRenewalsIsLetGo(backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open(node: "node-a")
        defer { store.close(at: Timestamp(millisecondsSinceEpoch: 0)) }
        let clock = ManualLeaseClock()
        let book = leases(store, clock)
        book.whenEmpty { $0 == "room-empty" }  // e.g. its only arrival was refused
        _ = book.acquireNow("room-empty")
        _ = book.acquireNow("room-busy")
        book.renewNow()
        #expect(book.holds("room-empty"))  // empty once: perhaps its first member is on the way
        book.renewNow()
        store.flush()
        #expect(!book.holds("room-empty") && book.holds("room-busy"))
        #expect(try store.texts("SELECT room FROM room_leases") == ["room-busy"])
    }

    @Test func twoNodesOnOneDatabaseNeverHoldARoomAtOnce() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let a = try records.open(node: "node-a")
        let b = try records.open(node: "node-b")
        defer {
            a.close(at: Timestamp(millisecondsSinceEpoch: 0))
            b.close(at: Timestamp(millisecondsSinceEpoch: 0))
        }
        let clock = ManualLeaseClock()
        let lostOnA = LostRooms()
        let onA = leases(a, clock, lost: lostOnA)
        let onB = leases(b, clock)
        #expect(onA.acquireNow("room-a") == .taken(nil))
        #expect(onB.acquireNow("room-a") == .elsewhere)
        clock.advance(.seconds(3))
        onA.renewNow()
        clock.advance(.seconds(3))
        #expect(onB.acquireNow("room-a") == .elsewhere)  // renewed: still A's
        clock.advance(.seconds(1))  // 4 s after A's last renewal: A stopped renewing (dead, or stuck)
        #expect(onB.acquireNow("room-a") == .taken(nil))
        #expect(onB.acquireNow("room-b") == .taken(nil))
        onA.renewNow()  // A finds out: the room ends on A
        #expect(lostOnA.all == ["room-a"])
        #expect(!onA.holds("room-a"))
        #expect(onA.acquireNow("room-a") == .elsewhere)
        #expect(onA.acquireNow("room-c") == .taken(nil))  // other rooms are unaffected
        // B lets go (its room emptied): A may take it at once, before any expiry.
        onB.release("room-a")
        b.flush()
        #expect(onA.acquireNow("room-a") == .taken(nil))
    }

    @Test func aBurstOfArrivalsForARoomHeldElsewhereAsksTheDatabaseOnce() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let a = try records.open(node: "node-a")
        let b = try records.open(node: "node-b")
        defer {
            a.close(at: Timestamp(millisecondsSinceEpoch: 0))
            b.close(at: Timestamp(millisecondsSinceEpoch: 0))
        }
        let clock = ManualLeaseClock()
        let onA = leases(a, clock)
        let onB = leases(b, clock)
        _ = onA.acquireNow("room-a")
        #expect(onB.acquireNow("room-a") == .elsewhere)
        onA.release("room-a")
        a.flush()
        let answers = LockedValue<[RoomLeases.Grant]>([])
        for _ in 0..<5 {
            onB.acquire("room-a", placesKeptFor: .seconds(120), restore: { _ in }) { grant in
                answers.withLock { $0.append(grant) }
            }
        }
        b.flush()
        #expect(answers.current == Array(repeating: .elsewhere, count: 5))  // the answer of 0 ms ago, reused
        clock.advance(RoomLeases.refusalReuse)
        #expect(onB.acquireNow("room-a") == .taken(nil))
        #expect(onB.refused.load(ordering: .relaxed) == 6)
    }

    /// The database away (for every node): the rooms hosted here go on past their
    /// leases' expiry, nobody can take them meanwhile, and a room not hosted here
    /// waits (503 records_unavailable). Back, the first renewal keeps them; had a
    /// node that could still reach the database taken one (a partition), the
    /// renewal finds out and the room ends here.
    @Test func aDatabaseOutageKeepsTheRoomsHostedHereUntilARenewalSaysOtherwise() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let a = try records.open(node: "node-a")
        let b = try records.open(node: "node-b")
        defer {
            a.close(at: Timestamp(millisecondsSinceEpoch: 0))
            b.close(at: Timestamp(millisecondsSinceEpoch: 0))
        }
        let clock = ManualLeaseClock()
        let lost = LostRooms()
        let onA = leases(a, clock, lost: lost)
        let onB = leases(b, clock)
        _ = onA.acquireNow("room-a")
        _ = onA.acquireNow("room-b")
        try records.behindTheStore("ALTER TABLE room_leases RENAME TO room_leases_away")
        clock.advance(.seconds(2))
        onA.renewNow()  // fails
        clock.advance(.seconds(3))
        onA.renewNow()  // fails past expiry: the rooms go on
        #expect(lost.all.isEmpty)
        #expect(onA.acquireNow("room-a") == .held, "a member of a room hosted here still gets in")
        #expect(onA.acquireNow("room-c") == .unavailable, "a room not hosted here waits for the database")
        #expect(onB.acquireNow("room-a") == .unavailable, "nobody takes it from an unreachable database")
        try records.behindTheStore("ALTER TABLE room_leases_away RENAME TO room_leases")
        // A partition: B reached the database first and took room-b's expired lease.
        #expect(onB.acquireNow("room-b") == .taken(nil))
        onA.renewNow()
        #expect(lost.all == ["room-b"])
        #expect(onA.holds("room-a"))
        #expect(onB.acquireNow("room-a") == .elsewhere)
    }

    func alert(_ action: ModerationAction, by actor: MemberID, _ id: UInt64, _ ms: Int64) -> RoomCore.Record {
        .moderation(
            ModerationRecord(
                actor: actor, action: action, target: nil, message: nil, alert: AlertID(id),
                at: Timestamp(millisecondsSinceEpoch: ms)))
    }

    @Test(arguments: RecordsUnderTest.backends)
    func takingARoomRestoresItsPlacesAndClosesTheStaysLeftOpen(backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let clock = ManualLeaseClock()
        let t = clock.now.millisecondsSinceEpoch
        let a = try records.open(node: "node-a")
        let onA = leases(a, clock)
        _ = onA.acquireNow("room-a")
        for item: RoomCore.Record in [
            record("f1", .facilitator, .connected, t + 1), record("p1", .participant, .connected, t + 2),
            record("p1", .participant, .consented(version: "v1"), t + 3),
            record("p1", .participant, .admitted(by: "f1"), t + 4), record("p2", .participant, .connected, t + 5),
            record("p2", .participant, .consented(version: "v1"), t + 6),
            record("p2", .participant, .admitted(by: "f1"), t + 7),
            record("p2", .participant, .left(.removed), t + 8), record("p3", .participant, .connected, t + 9),
            record("p3", .participant, .left(.declined), t + 10), record("p4", .participant, .connected, t + 11),
            record("p4", .participant, .consented(version: "v1"), t + 12),
            alert(.crisisAlertRaised, by: "p1", 1, t + 13), alert(.crisisAlertRaised, by: "p4", 2, t + 14),
            alert(.crisisAlertAcknowledged, by: "f1", 1, t + 15),
        ] {
            a.append(item, room: "room-a")
        }
        a.flush()
        let takenBy: DatabaseRecordStore
        let grant: RoomLeases.Grant
        switch backend {
        case .sqlite:
            // One node per file: it takes the room again after letting it go.
            onA.release("room-a")
            grant = onA.acquireNow("room-a")
            takenBy = a
        case .postgresql:
            a.abandon()  // node A dies (kill -9): nothing closed, leases not renewed
            clock.advance(.seconds(5))
            takenBy = try records.open(node: "node-b")
            grant = leases(takenBy, clock).acquireNow("room-a")
        }
        defer { takenBy.close(at: Timestamp(millisecondsSinceEpoch: t + 60_000)) }
        let expected = RoomPlaces(
            admitted: ["f1": .facilitator, "p1": .participant], consents: ["p1": "v1", "p2": "v1", "p4": "v1"],
            removed: ["p2"], declined: ["p3"],
            openAlerts: [
                OpenAlertPlace(id: AlertID(2), member: "p4", raisedAt: Timestamp(millisecondsSinceEpoch: t + 14))
            ],
            lastAlertID: 2)
        #expect(grant == .taken(expected))
        // The stays the old node left open end with node_lost; the session goes on, now the new node's.
        let stays = try takenBy.rows("SELECT member, end_reason FROM attendance WHERE left_at IS NOT NULL ORDER BY id")
        #expect(stays.map { $0["end_reason"].text } == ["node_lost", "node_lost", "removed", "declined", "node_lost"])
        #expect(try takenBy.number("SELECT COUNT(*) FROM sessions WHERE ended_at IS NULL") == 1)
        #expect(try takenBy.texts("SELECT node FROM sessions") == [backend == .sqlite ? "node-a" : "node-b"])
        #expect(try takenBy.verifyChains().isIntact)
        // Members who come back continue the same session, in new stays: the gap is in attendance.
        takenBy.append(record("p1", .participant, .connected, t + 6_000), room: "room-a")
        takenBy.flush()
        #expect(try takenBy.number("SELECT COUNT(DISTINCT session_id) FROM attendance") == 1)
        #expect(try takenBy.number("SELECT COUNT(*) FROM attendance WHERE member = 'p1'") == 2)
    }

    @Test func aSecondDeathKeepsThePlacesOfThoseWhoHadNotComeBackYet() throws {
        guard let records = try RecordsUnderTest.make(.postgresql) else { return }
        let clock = ManualLeaseClock()
        let t = clock.now.millisecondsSinceEpoch
        let a = try records.open(node: "node-a")
        _ = leases(a, clock).acquireNow("room-a")
        for member: MemberID in ["p1", "p2", "p3"] {
            a.append(record(member, .participant, .connected, t), room: "room-a")
            a.append(record(member, .participant, .consented(version: "v1"), t + 1), room: "room-a")
            a.append(record(member, .participant, .admitted(by: nil), t + 2), room: "room-a")
        }
        a.flush()
        a.abandon()
        clock.advance(.seconds(5))
        let b = try records.open(node: "node-b")
        #expect(
            leases(b, clock).acquireNow("room-a")
                == .taken(
                    RoomPlaces(
                        admitted: ["p1": .participant, "p2": .participant, "p3": .participant],
                        consents: ["p1": "v1", "p2": "v1", "p3": "v1"])))
        // p1 comes back to B; p3 comes back and leaves for good; p2 has not come back when B dies.
        for member: MemberID in ["p1", "p3"] {
            b.append(record(member, .participant, .connected, t + 5_000), room: "room-a")
            b.append(record(member, .participant, .admitted(by: nil), t + 5_001), room: "room-a")
        }
        b.append(record("p3", .participant, .left(.closedByClient), t + 5_002), room: "room-a")
        b.flush()
        b.abandon()
        clock.advance(.seconds(5))
        let c = try records.open(node: "node-c")
        defer { c.close(at: Timestamp(millisecondsSinceEpoch: t + 20_000)) }
        guard case .taken(let places?) = leases(c, clock).acquireNow("room-a") else {
            Issue.record("node C did not take the room with its places")
            return
        }
        #expect(places.admitted == ["p1": .participant, "p2": .participant])
        #expect(try c.verifyChains().isIntact)
    }

    @Test(arguments: RecordsUnderTest.backends)
    func anEndedSessionLeavesNothingToRestore(backend: RecordBackend) throws {
        guard let records = try RecordsUnderTest.make(backend) else { return }
        let store = try records.open(node: "node-a")
        defer { store.close(at: Timestamp(millisecondsSinceEpoch: 0)) }
        let clock = ManualLeaseClock()
        let book = leases(store, clock)
        let t = clock.now.millisecondsSinceEpoch
        store.append(record("f1", .facilitator, .connected, t), room: "room-a")
        store.append(
            .moderation(
                ModerationRecord(
                    actor: "f1", action: .sessionEnded, target: nil, message: nil, alert: nil,
                    at: Timestamp(millisecondsSinceEpoch: t + 1))),
            room: "room-a")
        store.flush()
        #expect(book.acquireNow("room-a") == .taken(nil))
    }

    @Test func whatAMemberWritesNeverReachesTheLeasesOrThePlaces() throws {
        guard let records = try RecordsUnderTest.make(.sqlite) else { return }
        let store = try records.open(node: "node-a")
        defer { store.close(at: Timestamp(millisecondsSinceEpoch: 0)) }
        let clock = ManualLeaseClock()
        let book = leases(store, clock)
        _ = book.acquireNow("room-a")
        let canary = "canary-8d1e-my-brother-relapsed"
        let definition = RoomDefinition(id: "room-a", title: "Group", kind: .process, capacity: 15)
        var room = Room(configuration: RoomConfiguration(definition: definition), openedAt: clock.now)
        var effects = room.memberConnected(
            MemberIdentity(id: "f1", alias: "Dana", role: .facilitator), connection: ConnectionID(1), at: clock.now)
        effects += room.memberConnected(
            MemberIdentity(id: "p1", alias: "Sam", role: .participant), connection: ConnectionID(2), at: clock.now)
        effects += room.received(
            .acceptAgreement(version: GroupAgreement.sample.version), from: "p1", id: CommandID("c1"), at: clock.now)
        effects += room.received(.admit("p1"), from: "f1", id: CommandID("c2"), at: clock.now)
        effects += room.received(.sendChat(ConfidentialText(canary)), from: "p1", id: CommandID("c3"), at: clock.now)
        for case .record(let item) in effects { store.append(item, room: "room-a") }
        store.flush()
        book.release("room-a")
        guard case .taken(let places?) = book.acquireNow("room-a") else {
            Issue.record("the room's places were not restored")
            return
        }
        #expect(places.admitted == ["f1": .facilitator, "p1": .participant])
        #expect(!"\(places)".contains(canary) && !"\(places)".contains("Sam"))
        let leaseRows = try store.rows("SELECT room, node, expires_at FROM room_leases")
        #expect(!"\(leaseRows)".contains(canary) && !"\(leaseRows)".contains("Sam"))
    }
}

/// The lease settings: safe defaults, and values that would lose rooms for nothing refused at start.
@Suite struct RoomLeaseSettingsTests {
    @Test func theDefaultsAreAFourSecondLeaseRenewedEverySecond() async throws {
        let settings = try await ServerSettings.load(configFile: nil, environment: [:], overrides: [:])
        #expect(settings.roomLeases.duration == .seconds(4) && settings.roomLeases.renewal == .seconds(1))
        let tuned = try await ServerSettings.load(
            configFile: nil, environment: [:],
            overrides: ["records.leaseMilliseconds": "3000", "records.leaseRenewalMilliseconds": "500"])
        #expect(tuned.roomLeases.duration == .milliseconds(3000) && tuned.roomLeases.renewal == .milliseconds(500))
    }

    @Test(arguments: [
        (["records.leaseMilliseconds": "999"], "records.leaseMilliseconds"),
        (["records.leaseMilliseconds": "60001"], "records.leaseMilliseconds"),
        (["records.leaseRenewalMilliseconds": "99"], "records.leaseRenewalMilliseconds"),
        (
            ["records.leaseMilliseconds": "2000", "records.leaseRenewalMilliseconds": "1000"],
            "records.leaseRenewalMilliseconds"
        ),
    ])
    func aLeaseThatCouldNotBeRenewedInTimeIsRefusedNamingItsKey(overrides: [String: String], key: String) async {
        do {
            _ = try await ServerSettings.load(configFile: nil, environment: [:], overrides: overrides)
            Issue.record("accepted \(overrides)")
        } catch let error as SettingsError {
            #expect("\(error)".contains(key), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
