import Foundation
import RoomCore
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

@testable import RoomServer

/// Arrivals through real sockets: a refused arrival changes nothing for the member
/// already present; an arrival after the end of a session starts the next one.
@Suite(.serialized) struct RoomArrivalTests {
    static let room = "evening-process"
    static let agreement = "2026-11"

    /// Facilitator `staff-7` is in the room; a participant token carrying the same member
    /// id is refused (4000 `role_conflict`); `staff-7` still gets another participant's
    /// crisis alert, and its own commands are still answered.
    @Test func aRefusedArrivalDoesNotSilenceTheMemberPresent() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: Self.room)
        let staff = try await kit.join("staff-7", "facilitator")
        await #expect(kit.waitFor(staff, "room.snapshot") != nil)
        let impostor = try await kit.join("staff-7", "participant")
        await #expect(impostor.waitForClose() == .some(CloseCode(4000)))

        let participant = try await kit.join("p1", "participant")
        await #expect(kit.waitFor(participant, "agreement.required") != nil)
        participant.send(text: kit.command("crisis.alert", "alert1"))
        await #expect(kit.waitFor(participant, "\"facilitatorsNotified\":1") != nil)
        await #expect(kit.waitFor(staff, "crisis.raised") != nil, "staff-7 still receives crisis alerts")
        staff.send(text: kit.command("room.lock", "lock1"))
        await #expect(kit.waitFor(staff, "\"ack\",\"id\":\"lock1\"") != nil, "staff-7's commands are still answered")
    }

    /// A refused connection's commands never act as the member present: a participant
    /// token with facilitator staff-7's id, its `room.lock` sent in the same segment as
    /// the upgrade (read before the refusal's close), is dropped, not run as staff-7.
    @Test func aRefusedConnectionCannotActAsTheMemberPresent() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: Self.room)
        let staff = try await kit.join("staff-7", "facilitator")
        await #expect(kit.waitFor(staff, "room.snapshot") != nil)
        let bearer = try await kit.token("staff-7", "participant")
        let impostor = try RawSocket(port: harness.port)
        let head =
            "GET /v1/rooms/\(Self.room) HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Authorization: Bearer \(bearer)\r\n\r\n"
        impostor.write(Array(head.utf8) + RawSocket.clientFrame(.text, Array(kit.command("room.lock", "evil").utf8)))
        #expect(impostor.readHead().hasPrefix("HTTP/1.1 101"))  // then the 4000 close
        staff.send(text: kit.command("ping", "after"))
        var seen: [String] = []
        for _ in 0..<100 {
            guard case .text(let text)? = await staff.nextMessage(timeout: .seconds(5)) else { break }
            seen.append(text)
            if text.contains("\"id\":\"after\"") { break }
        }
        #expect(seen.last?.contains("\"id\":\"after\"") == true)
        #expect(!seen.contains { $0.contains("evil") || $0.contains("room.lock_changed") }, "\(seen)")
    }

    /// The reverse: a facilitator token carrying a present participant's member id is
    /// refused, and the participant keeps being answered and told what happens.
    @Test func aRefusedFacilitatorTokenDoesNotSilenceTheParticipant() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: Self.room)
        let staff = try await kit.join("f1", "facilitator")
        await #expect(kit.waitFor(staff, "room.snapshot") != nil)
        let participant = try await kit.join("p5", "participant")
        await #expect(kit.waitFor(participant, "agreement.required") != nil)
        let impostor = try await kit.join("p5", "facilitator")
        await #expect(impostor.waitForClose() == .some(CloseCode(4000)))
        participant.send(text: kit.command("agreement.accept", "a1", "\"version\":\"\(Self.agreement)\""))
        await #expect(kit.waitFor(participant, "\"ack\",\"id\":\"a1\"") != nil)
        await #expect(kit.waitFor(participant, "admission.waiting") != nil)
        staff.send(text: kit.command("waiting.admit", "admit1", "\"member\":\"p5\""))
        await #expect(kit.waitFor(participant, "room.snapshot") != nil)
    }

    /// After `/end`, a participant arriving before any facilitator waits in the next
    /// session's waiting room (it used to be told 4000 `session_ended` until a
    /// facilitator came back); a client of the ended session that resumes is told
    /// the session ended, once, instead of landing silently in the next one.
    @Test func anArrivalAfterTheEndStartsTheNextSession() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let kit = RoomKit(harness: harness, room: Self.room)
        let facilitator = try await kit.join("f1", "facilitator")
        await #expect(kit.waitFor(facilitator, "room.snapshot") != nil)
        let earlier = try await kit.join("p1", "participant")
        await #expect(kit.waitFor(earlier, "agreement.required") != nil)
        facilitator.send(text: kit.command("session.end", "end1"))
        await #expect(earlier.waitForClose() == .some(RoomCloseCode.sessionEnded))
        await #expect(facilitator.waitForClose() == .some(RoomCloseCode.sessionEnded))

        let next = try await kit.join("p2", "participant")
        await #expect(kit.waitFor(next, "agreement.required") != nil, "the next session's agreement, not session_ended")
        next.send(text: kit.command("agreement.accept", "a1", "\"version\":\"\(Self.agreement)\""))
        await #expect(kit.waitFor(next, "admission.waiting") != nil)

        let resuming = try await kit.join("p1", "participant", lastSequence: 3)
        await #expect(resuming.waitForClose() == .some(RoomCloseCode.refused), "told the old session ended")
        let again = try await kit.join("p1", "participant")
        await #expect(kit.waitFor(again, "agreement.required") != nil, "joining afresh enters the next session")

        let back = try await kit.join("f1", "facilitator")
        let snapshot = await kit.waitFor(back, "room.snapshot")
        #expect(snapshot?.contains("\"waiting\":[{\"member\":\"p2\"") == true)
    }
}

/// Tokens, joins and bounded waits for room tests through real sockets.
struct RoomKit {
    let harness: ServerHarness
    let room: String

    func token(_ member: String, _ role: String) async throws -> String {
        try await harness.application.authority.issue(
            TokenClaims(
                member: member, alias: role == "facilitator" ? "Dana" : "River", role: role, room: room,
                expires: Date() + 3600, tokenID: UUID().uuidString))
    }

    func join(_ member: String, _ role: String, lastSequence: UInt64? = nil) async throws -> TestClient {
        let bearer = try await token(member, role)
        var headers: HTTPHeaders = ["Authorization": "Bearer \(bearer)"]
        if let lastSequence { headers.add(name: "Last-Event-Sequence", value: "\(lastSequence)") }
        return try await TestClient.connect(port: harness.port, path: "/v1/rooms/\(room)", headers: headers)
    }

    /// Reads until a message containing `needle` arrives (bounded); returns it.
    @discardableResult
    func waitFor(_ client: TestClient, _ needle: String) async -> String? {
        await RoomWire.waitFor(client, needle)
    }

    func command(_ type: String, _ id: String, _ fields: String = "") -> String {
        RoomWire.command(type, id, fields)
    }
}
