import Foundation
import RoomCore
import RoomProtocol
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

@testable import RoomServer

/// `iop.v2` through real sockets (docs/PROTOCOL.md, "Versions"): chosen with the
/// WebSocket subprotocol; a v2 sender's own copy of its chat message is its
/// acknowledgement, everyone else gets the same bytes as before, v1 is unchanged.
/// Over HTTP/1.1 and over HTTP/2 streams (h2c, RFC 8441).
@Suite(.serialized) struct ProtocolV2Tests {
    static let room = "evening-process"

    /// How a member connects: HTTP/1.1, or a stream of a shared HTTP/2 connection.
    enum Carrier: CaseIterable { case http1, http2 }

    func join(
        _ harness: ServerHarness, _ member: String, _ role: String, offering subprotocols: [String],
        over carrier: Carrier = .http1, pool: WebSocketClientPool? = nil, resumingAfter lastSequence: UInt64? = nil
    ) async throws -> TestClient {
        let bearer = try await harness.application.authority.issue(
            TokenClaims(
                member: member, alias: member.capitalized, role: role, room: Self.room,
                expires: Date() + 3600, tokenID: UUID().uuidString))
        let path = "/v1/rooms/\(Self.room)"
        var headers: HTTPHeaders = ["Authorization": "Bearer \(bearer)"]
        if let lastSequence { headers.add(name: "Last-Event-Sequence", value: "\(lastSequence)") }
        switch carrier {
        case .http1:
            return try await TestClient.connect(
                port: harness.port, path: path, headers: headers, subprotocols: subprotocols)
        case .http2:
            return try await TestClient.connect(
                through: pool ?? WebSocketClientPool(loop: TestLoops.shared.next()), port: harness.port, path: path,
                headers: headers, http2: .priorKnowledge, subprotocols: subprotocols)
        }
    }

    /// Every text frame up to and including the one containing `needle` (bounded).
    func frames(_ client: TestClient, through needle: String) async -> [String] {
        var seen: [String] = []
        for _ in 0..<1000 {
            guard case .text(let text)? = await client.nextMessage(timeout: .seconds(5)) else { return seen }
            seen.append(text)
            if text.contains(needle) { return seen }
        }
        return seen
    }

    /// A participant who accepts the agreement and is admitted by `facilitator`.
    func admit(_ participant: TestClient, _ member: String, by facilitator: TestClient) async {
        await #expect(RoomWire.waitFor(participant, "agreement.required") != nil)
        participant.send(text: RoomWire.command("agreement.accept", "a", "\"version\":\"2026-11\""))
        await #expect(RoomWire.waitFor(participant, "admission.waiting") != nil)
        facilitator.send(text: RoomWire.command("waiting.admit", "admit-\(member)", "\"member\":\"\(member)\""))
        await #expect(RoomWire.waitFor(facilitator, "\"id\":\"admit-\(member)\"") != nil)
        await #expect(RoomWire.waitFor(participant, "room.snapshot") != nil)
    }

    /// Sends a `ping` with `id` to each member and reads each one's frames up to its answer:
    /// what the room sent them before it (the room answers a member's commands in order).
    func settle(_ members: [TestClient], _ id: String) async -> [[String]] {
        var all: [[String]] = []
        for member in members {
            member.send(text: RoomWire.command("ping", id))
            all.append(await frames(member, through: "{\"v\":1,\"type\":\"ack\",\"id\":\"\(id)\"}"))
        }
        return all
    }

    @Test(arguments: Carrier.allCases)
    func aV2SenderGetsOneFrameAndEveryoneElseTheSameBytes(over carrier: Carrier) async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let pool = WebSocketClientPool(loop: TestLoops.shared.next())
        let facilitator = try await join(harness, "fac", "facilitator", offering: [], over: carrier, pool: pool)
        let river = try await join(harness, "river", "participant", offering: ["iop.v2"], over: carrier, pool: pool)
        let sky = try await join(harness, "sky", "participant", offering: [], over: carrier, pool: pool)
        #expect(river.subprotocol == "iop.v2")
        #expect(sky.subprotocol == nil)
        #expect(facilitator.subprotocol == nil)
        await admit(river, "river", by: facilitator)
        await admit(sky, "sky", by: facilitator)
        _ = await settle([facilitator, river, sky], "s1")  // rosters of the admissions read

        // v2: the own copy, carrying the id, is the answer; then the ping's ack. Nothing else.
        river.send(text: RoomWire.command("chat.send", "c7", "\"text\":\"Glad to be here\""))
        let answers = await settle([river, sky, facilitator], "s2")
        let riverFrames = answers[0], skyFrames = answers[1], facilitatorFrames = answers[2]
        #expect(riverFrames.count == 2, "one frame for the message, one for the ping: \(riverFrames.count)")
        let own = try #require(riverFrames.first)
        #expect(!riverFrames.contains { $0.contains("\"type\":\"ack\",\"id\":\"c7\"") }, "no ack for c7")
        let shared = try #require(skyFrames.first { $0.contains("Glad to be here") })
        #expect(facilitatorFrames.first { $0.contains("Glad to be here") } == shared, "byte-identical for v1 members")
        #expect(own == String(shared.dropLast()) + ",\"ack\":\"c7\"}")
        let frame = try ServerFrame.decode(own).get()
        #expect(frame.acknowledges == CommandID("c7"))
        #expect(try ServerMessage.decode(shared).get() == frame.message)

        // v1 in the same room: ack first, then its own copy, without "ack".
        sky.send(text: RoomWire.command("chat.send", "k1", "\"text\":\"Me too\""))
        let v1 = await settle([sky, river], "s3")
        #expect(v1[0].count == 3)
        #expect(v1[0].first == "{\"v\":1,\"type\":\"ack\",\"id\":\"k1\"}")
        let skyCopy = try #require(v1[0].dropFirst().first)
        #expect(skyCopy.contains("Me too") && !skyCopy.contains("\"ack\""))
        #expect(v1[1].first == skyCopy, "the v2 member gets the same bytes for someone else's message")

        // Errors are unchanged for v2; commands that post nothing keep their ack.
        river.send(text: RoomWire.command("chat.send", "c8", "\"text\":\"   \""))
        river.send(text: RoomWire.command("hand.raise", "c9"))
        let rest = await settle([river], "s4")[0]
        #expect(rest.first?.hasPrefix("{\"v\":1,\"type\":\"error\",\"id\":\"c8\",\"code\":\"empty_message\"") == true)
        #expect(rest.contains("{\"v\":1,\"type\":\"ack\",\"id\":\"c9\"}"))
        if carrier == .http2 {
            #expect(harness.server.statistics.http2.webSocketStreams.load(ordering: .relaxed) == 3)
        }
    }

    @Test func otherPostingCommandsAreAnsweredByTheOwnCopyToo() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let facilitator = try await join(harness, "fac", "facilitator", offering: ["iop.v2"])
        let river = try await join(harness, "river", "participant", offering: ["iop.v2"])
        await admit(river, "river", by: facilitator)
        _ = await settle([facilitator, river], "s1")
        // Each member's ping after the commands: once answered, they and all they caused are in.
        river.send(text: RoomWire.command("chat.to_facilitators", "t1", "\"text\":\"after group?\""))
        var riverFrames = await settle([river], "s2")[0]
        facilitator.send(text: RoomWire.command("chat.back_channel", "b1", "\"text\":\"noted\""))
        facilitator.send(text: RoomWire.command("chat.private", "w1", "\"to\":\"river\",\"text\":\"yes\""))
        let facilitatorFrames = await settle([facilitator], "s3")[0]
        riverFrames += await settle([river], "s4")[0]
        #expect(riverFrames.contains { $0.contains("after group?") && $0.hasSuffix(",\"ack\":\"t1\"}") })
        #expect(facilitatorFrames.contains { $0.contains("noted") && $0.hasSuffix(",\"ack\":\"b1\"}") })
        #expect(facilitatorFrames.contains { $0.contains("\"text\":\"yes\"") && $0.hasSuffix(",\"ack\":\"w1\"}") })
        // Another member's copy never carries the sender's id.
        #expect(facilitatorFrames.contains { $0.contains("after group?") && !$0.contains("\"ack\"") })
        #expect(riverFrames.contains { $0.contains("\"text\":\"yes\"") && !$0.contains("\"ack\"") })
        for id in ["t1", "b1", "w1"] {
            #expect(!(riverFrames + facilitatorFrames).contains("{\"v\":1,\"type\":\"ack\",\"id\":\"\(id)\"}"))
        }
    }

    @Test func aResumingV2SenderGetsItsReplayedCopyWithTheIdAndAV1ResumerWithout() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        var member = try await join(harness, "fac", "facilitator", offering: ["iop.v2"])
        let greeting = await settle([member], "s1")[0]
        let sequences = greeting.compactMap { frame -> UInt64? in
            guard case .event(let sequence, _, _)? = try? ServerMessage.decode(frame).get() else { return nil }
            return sequence
        }
        let seen = try #require(sequences.max())
        member.send(text: RoomWire.command("chat.back_channel", "b1", "\"text\":\"while you were away\""))
        let live = try #require(await settle([member], "s2")[0].first)
        #expect(live.hasSuffix(",\"ack\":\"b1\"}"))
        let shared = String(live.dropLast(",\"ack\":\"b1\"}".count)) + "}"
        // As if the answer had been lost: the member resumes from before it, under v2, then v1.
        for (offer, expected) in [(["iop.v2"], live), ([], shared)] {
            member.close(code: .goingAway)
            _ = await member.waitForClose()
            member = try await join(harness, "fac", "facilitator", offering: offer, resumingAfter: seen)
            let replayed = await frames(member, through: "while you were away")
            #expect(replayed.last == expected, "offered \(offer)")
        }
    }

    @Test func theUpgradeNegotiatesTheSubprotocol() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let vectors: [(offer: String?, chosen: String?)] = [
            ("iop.v2", "iop.v2"), ("foo, iop.v2", "iop.v2"), ("iop.v2, foo", "iop.v2"), ("foo", nil),
            ("IOP.V2", nil), (nil, nil),
        ]
        for (index, vector) in vectors.enumerated() {
            let bearer = try await harness.application.authority.issue(
                TokenClaims(
                    member: "m\(index)", alias: "M\(index)", role: "participant", room: Self.room,
                    expires: Date() + 3600, tokenID: UUID().uuidString))
            let socket = try RawSocket(port: harness.port)
            let offer = vector.offer.map { "Sec-WebSocket-Protocol: \($0)\r\n" } ?? ""
            socket.write(
                "GET /v1/rooms/\(Self.room) HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + offer + "Authorization: Bearer \(bearer)\r\n\r\n")
            let head = socket.readHead()
            #expect(head.hasPrefix("HTTP/1.1 101"), "\(vector): \(head)")
            let answered = head.split(separator: "\r\n").filter { $0.lowercased().hasPrefix("sec-websocket-protocol:") }
            #expect(answered == (vector.chosen.map { ["Sec-WebSocket-Protocol: \($0)"] } ?? []), "\(vector)")
        }
        // Our client, over HTTP/1.1 and HTTP/2: the choice it reports.
        let pool = WebSocketClientPool(loop: TestLoops.shared.next())
        for carrier in Carrier.allCases {
            for (offered, chosen) in [(["foo", "iop.v2"], "iop.v2"), (["foo"], nil), ([], nil)] as [([String], String?)]
            {
                let member = "c\(carrier)\(offered.count)"
                let client = try await join(
                    harness, member, "participant", offering: offered, over: carrier, pool: pool)
                #expect(client.subprotocol == chosen, "\(carrier) \(offered)")
                client.close()
            }
        }
    }
}
