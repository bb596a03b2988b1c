import Foundation
import RoomCore
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

@testable import RoomServer

/// A participant whose connection flaps through real sockets: the reconnect allowance
/// refuses the excess with 4007, the others see no roster per flap, and attendance
/// gets no row per flap.
@Suite(.serialized) struct RoomChurnTests {
    @Test func aFlappingParticipantCostsTheRoomAndTheRecordsLittle() async throws {
        // The server's clock stands still: the allowance's refill (one every 6 s) never comes, however slow the run.
        let harness = try await ServerHarness(clock: ManualClock(Date()).clock)
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: RoomArrivalTests.room)
        let host = try #require(harness.application.rooms.first { $0.id == RoomArrivalTests.room })
        let staff = try await kit.join("f1", "facilitator")
        await #expect(kit.waitFor(staff, "room.snapshot") != nil)
        var participants: [TestClient] = []
        for member in ["p1", "p2"] {
            let client = try await kit.join(member, "participant")
            client.send(text: kit.command("agreement.accept", "a", "\"version\":\"\(RoomArrivalTests.agreement)\""))
            await #expect(kit.waitFor(client, "admission.waiting") != nil)
            staff.send(text: kit.command("waiting.admit", "admit-\(member)", "\"member\":\"\(member)\""))
            await #expect(kit.waitFor(client, "room.snapshot") != nil)
            participants.append(client)
        }
        let watcher = participants[1]
        // Everything so far has reached p2: it reads up to a marker.
        staff.send(text: kit.command("chat.send", "mark", "\"text\":\"mark\""))
        await #expect(kit.waitFor(watcher, "\"text\":\"mark\"") != nil)

        var flapper = participants[0]
        var connected = true
        var accepted = 0
        var refusals: [CloseCode?] = []
        for _ in 0..<40 {
            if connected {
                flapper.close(code: .goingAway)  // not 1000: a lost connection, the place is kept
                _ = await flapper.waitForClose()
            }
            let seen = host.loop.sync { host.room.currentSequence }
            flapper = try await kit.join("p1", "participant", lastSequence: seen)
            switch await flapper.next(timeout: .seconds(5)) {
            case .message?:
                connected = true
                accepted += 1
            case .closed(let code)?:
                connected = false
                refusals.append(code)
            case nil:
                Issue.record("no answer to a resume")
            }
        }
        // Ten connections at once, then one every 6 s of the server's clock: the first join (above)
        // and nine of these resumes.
        #expect(accepted == 9, "the first join and nine resumes fit the allowance of ten")
        #expect(refusals.count == 40 - accepted)
        #expect(refusals.allSatisfy { $0 == RoomCloseCode.tooManyReconnects })

        staff.send(text: kit.command("chat.send", "after", "\"text\":\"after the flaps\""))
        var rosters = 0
        for _ in 0..<100 {
            guard case .text(let text)? = await watcher.nextMessage(timeout: .seconds(5)) else { break }
            if text.contains("room.roster") { rosters += 1 }
            if text.contains("after the flaps") { break }
        }
        #expect(rosters <= 1, "no roster per flap (one if the last loss outlasted the grace)")
        harness.application.records.flush()
        let store = try #require(harness.application.records as? DatabaseRecordStore)
        let rows = try store.read { db in
            try db.scalar("SELECT COUNT(*) FROM attendance_events WHERE member = 'p1'").integer ?? 0
        }
        #expect(rows <= 4, "connected, consented, admitted, and at most one connection_lost: \(rows)")
    }
}
