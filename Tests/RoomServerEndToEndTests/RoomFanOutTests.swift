import Dispatch
import Foundation
import RoomCore
import RoomProtocol
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

@testable import RoomServer

/// Fan-out through real sockets: each broadcast is encoded once and the same
/// bytes go to every member; a member who stops reading is dropped without
/// holding the room back.
@Suite(.serialized) struct RoomFanOutTests {
    static let room = "evening-process"

    func token(_ harness: ServerHarness, _ member: String, _ role: String) async throws -> String {
        try await harness.application.authority.issue(
            TokenClaims(
                member: member, alias: member.capitalized, role: role, room: Self.room,
                expires: Date() + 3600, tokenID: UUID().uuidString))
    }

    func join(_ harness: ServerHarness, _ member: String, _ role: String) async throws -> TestClient {
        let bearer = try await token(harness, member, role)
        return try await TestClient.connect(
            port: harness.port, path: "/v1/rooms/\(Self.room)", headers: ["Authorization": "Bearer \(bearer)"])
    }

    /// Reads until a message containing `needle` arrives (bounded); returns it.
    @discardableResult
    func waitFor(_ client: TestClient, _ needle: String) async -> String? {
        await RoomWire.waitFor(client, needle)
    }

    func command(_ type: String, _ id: String, _ fields: String = "") -> String {
        RoomWire.command(type, id, fields)
    }

    /// A facilitator and `count` admitted participants.
    func group(_ harness: ServerHarness, participants count: Int) async throws -> (TestClient, [TestClient]) {
        let facilitator = try await join(harness, "facilitator", "facilitator")
        var participants: [TestClient] = []
        for index in 0..<count {
            let participant = try await join(harness, "p\(index)", "participant")
            await #expect(waitFor(participant, "agreement.required") != nil)
            participant.send(text: command("agreement.accept", "a", "\"version\":\"2026-11\""))
            await #expect(waitFor(participant, "admission.waiting") != nil)
            facilitator.send(text: command("waiting.admit", "admit\(index)", "\"member\":\"p\(index)\""))
            await #expect(waitFor(facilitator, "\"ack\",\"id\":\"admit\(index)\"") != nil)
            await #expect(waitFor(participant, "room.snapshot") != nil)
            participants.append(participant)
        }
        return (facilitator, participants)
    }

    @Test func broadcastIsEncodedOnceForElevenMembers() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (facilitator, participants) = try await group(harness, participants: 10)
        let host = try #require(harness.application.rooms.first { $0.id == Self.room })
        // Let roster updates settle: every member reads up to the last admission's roster.
        participants[0].send(text: command("chat.send", "sync", "\"text\":\"sync\""))
        for member in [facilitator] + participants { await #expect(waitFor(member, "\"text\":\"sync\"") != nil) }
        let encoded = host.statistics.eventsEncoded.load(ordering: .relaxed)
        let delivered = host.statistics.framesDelivered.load(ordering: .relaxed)
        participants[3].send(text: command("chat.send", "c1", "\"text\":\"one for all\""))
        var copies: Set<String> = []
        for member in [facilitator] + participants {
            copies.insert(try #require(await waitFor(member, "one for all")))
        }
        #expect(copies.count == 1, "every member got byte-identical event JSON")
        host.loop.sync {}  // the room counts after handing the frames over; let it finish
        #expect(host.statistics.eventsEncoded.load(ordering: .relaxed) - encoded == 1)
        #expect(host.statistics.framesDelivered.load(ordering: .relaxed) - delivered == 11)
    }

    @Test func memberWhoStopsReadingIsDroppedAndTheRoomCarriesOn() async throws {
        var settings = ServerSettings()
        settings.roomMaxQueuedBytes = 64 * 1024
        settings.session.messagesPerSecond = 10_000
        settings.session.burst = 10_000
        settings.session.bytesPerSecond = 1e9
        settings.session.burstBytes = 1e9
        settings.transport.closeTimeout = .milliseconds(300)
        settings.transport.timerResolution = .milliseconds(50)
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let (facilitator, participants) = try await group(harness, participants: 2)
        // A third participant on a raw socket with a tiny receive buffer, who never reads.
        let bearer = try await token(harness, "sleepy", "participant")
        let sleepy = try RawSocket(port: harness.port, receiveBufferSize: 2048)
        sleepy.write(
            "GET /v1/rooms/\(Self.room) HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer \(bearer)\r\n\r\n")
        #expect(sleepy.readHead().hasPrefix("HTTP/1.1 101"))
        sleepy.write(
            RawSocket.clientFrame(.text, Array(command("agreement.accept", "a", "\"version\":\"2026-11\"").utf8)))
        await #expect(waitFor(facilitator, "\"member\":\"sleepy\"") != nil)
        facilitator.send(text: command("waiting.admit", "admit-sleepy", "\"member\":\"sleepy\""))
        await #expect(waitFor(facilitator, "\"id\":\"admit-sleepy\"") != nil)
        // Chat until the sleepy member is dropped (bounded), checking the others keep up.
        // 1,900 four-byte characters: about 7.6 KB a frame, under the 2,000-character limit;
        // the kernel's socket buffers (up to a few MB) fill first, then our 64 KiB queue.
        let text = String(repeating: "🌊", count: 1900)
        var sent = 0
        for round in 0..<2000 where harness.server.statistics.slowConsumersDropped.load(ordering: .relaxed) == 0 {
            participants[0].send(text: command("chat.send", "c\(round)", "\"text\":\"\(round) \(text)\""))
            sent += 1
            await #expect(waitFor(participants[1], "\"text\":\"\(round) ") != nil)
        }
        #expect(harness.server.statistics.slowConsumersDropped.load(ordering: .relaxed) == 1)
        #expect(sent < 2000)
        participants[0].send(text: command("chat.send", "after", "\"text\":\"still here\""))
        await #expect(waitFor(participants[1], "still here") != nil)
        await #expect(waitFor(facilitator, "still here") != nil)
    }

    @Test func anOverloadedRoomTellsTheSenderInsteadOfQueueingWithoutBound() async throws {
        var settings = ServerSettings()
        settings.roomMaxPendingCommands = 3
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let (facilitator, participants) = try await group(harness, participants: 1)
        let host = try #require(harness.application.rooms.first { $0.id == Self.room })
        // Hold the room's loop, as a long burst of work would, until all five commands are in
        // the server's socket buffer: whichever loop reads them, it reads them in one go and
        // the room has not taken any when the fourth and fifth arrive.
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        host.loop.async {
            holding.signal()
            release.wait()
        }
        holding.wait()
        for index in 0..<5 { participants[0].send(text: command("hand.lower", "h\(index)")) }
        await participants[0].waitUntilWritten()
        release.signal()
        let busy = await [waitFor(participants[0], "server_busy"), waitFor(participants[0], "server_busy")]
        #expect(busy.compactMap { $0 }.count == 2, "the two over the backlog of 3 are refused at once")
        #expect(busy.allSatisfy { $0?.contains("\"id\":\"h3\"") == true || $0?.contains("\"id\":\"h4\"") == true })
        #expect(host.statistics.commandsRefusedBusy.load(ordering: .relaxed) == 2)
        for index in 0..<3 { await #expect(waitFor(participants[0], "\"ack\",\"id\":\"h\(index)\"") != nil) }
        participants[0].send(text: command("chat.send", "after", "\"text\":\"back to normal\""))
        await #expect(waitFor(facilitator, "back to normal") != nil)
    }
}
