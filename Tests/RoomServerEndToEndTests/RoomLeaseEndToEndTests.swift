import Foundation
import RoomCore
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport

@testable import RoomServer

/// One owner per room, through the whole server and real sockets, on both
/// backends: a node whose room lease goes to another node ends the room there
/// (4008 `room_moved`, nothing more recorded), refuses new members before the
/// upgrade (503 `room_elsewhere`), and when the room comes back it restores the
/// places: the admitted participant lands admitted, without the waiting room.
@Suite struct RoomLeaseEndToEndTests {
    @Test(arguments: RecordBackends.all)
    func aLostLeaseEndsTheRoomHereAndItsReturnRestoresThePlaces(backend: RecordBackend) async throws {
        guard var settings = try RecordBackends.settings(on: backend) else { return }
        settings.nodeID = "node-a"
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let admin = AdminFixture(harness: harness)
        let (host, guest) = try await admin.startSession()
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        #expect(try store.inTransaction { try $0.texts("SELECT node FROM room_leases") } == ["node-a"])

        // Another node takes the room, as one that found this node's lease expired would.
        let farAway = ServerClock.system.now().millisecondsSinceEpoch + 600_000
        try store.inTransaction { try $0.execute("UPDATE room_leases SET node = 'node-b', expires_at = $1", farAway) }
        #expect(try await admin.closeCode(host) == RoomCloseCode.roomMoved)  // at the next renewal (1 s)
        #expect(try await admin.closeCode(guest) == RoomCloseCode.roomMoved)
        do {
            _ = try await admin.join(admin.token(member: "fac-2", alias: "Lee", role: "facilitator"))
            Issue.record("a member was let into a room another node holds")
        } catch let error as WebSocketClientError {
            #expect(error.refusalStatus == 503)
            #expect(error.refusalBody?.hasPrefix("room_elsewhere") == true, "\(error.refusalBody ?? "")")
        }
        store.flush()
        // Nothing was recorded here after the loss: the stays are the new owner's to close.
        #expect(
            try store.inTransaction { try $0.scalar("SELECT COUNT(*) FROM attendance WHERE left_at IS NULL") }
                == .integer(2))

        // The other node lets the room go; it comes back here with its places.
        try store.inTransaction { try $0.execute("DELETE FROM room_leases WHERE node = 'node-b'") }
        // (A refusal is reused for 100 ms, so the first tries may still hear room_elsewhere, as a client would.)
        let returning = try await joinWhenFree(admin, admin.token(member: "par-1", alias: "Sam", role: "participant"))
        try await admin.waitFor(returning, "room.snapshot")  // admitted before any facilitator is back
        let texts = try store.inTransaction {
            try $0.texts("SELECT end_reason FROM attendance WHERE left_at IS NOT NULL ORDER BY id")
        }
        #expect(texts == ["node_lost", "node_lost"])
        #expect(try store.verifyChains().isIntact)
        let metrics = try await admin.request("GET", "/metrics").body
        for line in ["iop_room_leases_taken_total 2", "iop_room_leases_lost_total 1"] {
            #expect(metrics.contains(line + "\n"), "\(line)")
        }
        #expect(!metrics.contains("iop_room_leases_refused_total 0\n"))  // the refused arrivals
        returning.close()
    }

    @Test func aRoomThatMovedAndEndedElsewhereComesBackWithoutItsOldRemovals() async throws {
        guard let (nodeA, nodeB) = try await ServerHarness.twoNodesOnPostgreSQL() else { return }
        defer {
            nodeA.stop()
            nodeB.stop()
        }
        let onA = AdminFixture(harness: nodeA)
        let onB = AdminFixture(harness: nodeB)
        let (host, guest) = try await onA.startSession()
        host.send(text: #"{"v":1,"type":"member.remove","id":"r","member":"par-1"}"#)
        #expect(try await onA.closeCode(guest) == RoomCloseCode.removed)
        host.close()  // the room empties on A, which lets it go
        // The room moves to B (another HAProxy, a client on B's address), whose facilitator ends the session.
        let hostOnB = try await joinWhenFree(onB, onB.token(member: "fac-1", alias: "Dana", role: "facilitator"))
        try await onB.waitFor(hostOnB, "room.snapshot")
        hostOnB.send(text: #"{"v":1,"type":"session.end","id":"e"}"#)
        #expect(try await onB.closeCode(hostOnB) == RoomCloseCode.sessionEnded)
        // Back on A the removal belonged to the session B ended: the member starts the next one afresh.
        let again = try await joinWhenFree(onA, onA.token(member: "par-1", alias: "Sam", role: "participant"))
        #expect(try await onA.waitFor(again, "agreement.required") != nil)
        again.close()
    }

    /// Joins, trying again (bounded) while the server answers 503 `room_elsewhere`.
    func joinWhenFree(_ admin: AdminFixture, _ token: String) async throws -> TestClient {
        for _ in 0..<50 {
            do {
                return try await admin.join(token)
            } catch let error as WebSocketClientError where error.refusalStatus == 503 {
                try await Task.sleep(for: .milliseconds(40))
            }
        }
        return try await admin.join(token)
    }
}
