import Foundation
import RoomProtocol
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport

@testable import RoomServer

/// Breakout groups through real sockets: a facilitator and six participants split at
/// random into three groups; the facilitator visits each and speaks in it; every
/// group's words reach that group and the facilitator visiting it, never another
/// group; a crisis alert from inside a group reaches the facilitator visiting another;
/// everyone comes back on command, and again when a second breakout's countdown ends.
@Suite(.serialized) struct BreakoutEndToEndTests {
    static let room = "evening-process"
    let toolkit = ToolkitEndToEndTests()

    func join(_ harness: ServerHarness, _ member: String, _ role: String) async throws -> TestClient {
        let bearer = try await harness.application.authority.issue(
            TokenClaims(
                member: member, alias: member.capitalized, role: role, room: Self.room, expires: Date() + 3600,
                tokenID: UUID().uuidString))
        return try await TestClient.connect(
            port: harness.port, path: "/v1/rooms/\(Self.room)", headers: ["Authorization": "Bearer \(bearer)"])
    }

    /// The facilitator and admitted participants p0…p5.
    func session(_ harness: ServerHarness) async throws -> (TestClient, [TestClient]) {
        let facilitator = try await join(harness, "facilitator", "facilitator")
        var participants: [TestClient] = []
        for index in 0..<6 {
            let participant = try await join(harness, "p\(index)", "participant")
            await #expect(RoomWire.waitFor(participant, "agreement.required") != nil)
            participant.send(text: RoomWire.command("agreement.accept", "a", "\"version\":\"2026-11\""))
            await #expect(RoomWire.waitFor(participant, "admission.waiting") != nil)
            facilitator.send(text: RoomWire.command("waiting.admit", "admit\(index)", "\"member\":\"p\(index)\""))
            await #expect(RoomWire.waitFor(facilitator, "\"ack\",\"id\":\"admit\(index)\"") != nil)
            await #expect(RoomWire.waitFor(participant, "room.snapshot") != nil)
            participants.append(participant)
        }
        return (facilitator, participants)
    }

    /// Sends a command and waits for its acknowledgement.
    func acknowledged(_ client: TestClient, _ type: String, _ id: String, _ fields: String = "") async -> Bool {
        client.send(text: RoomWire.command(type, id, fields))
        return await RoomWire.waitFor(client, "\"ack\",\"id\":\"\(id)\"") != nil
    }

    /// The group number each participant's own `breakout.status` gives, and that it names them alone.
    func groups(of participants: [TestClient]) async -> [Int] {
        var numbers: [Int] = []
        for (index, participant) in participants.enumerated() {
            let status = await toolkit.next("breakout.status", at: participant)
            let groups = status?["groups"] as? [[String: Any]] ?? []
            #expect(groups.count == 1, "p\(index) sees one group")
            let members = (groups.first?["members"] as? [[String: Any]] ?? []).compactMap { $0["member"] as? String }
            #expect(members.contains("p\(index)"), "p\(index) is in the group it is shown")
            numbers.append(groups.first?["group"] as? Int ?? 0)
        }
        return numbers
    }

    @Test func threeGroupsVisitedKeptApartAndBroughtBack() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (facilitator, participants) = try await session(harness)
        #expect(
            await acknowledged(
                facilitator, "breakout.start", "b1", "\"split\":\"random\",\"groups\":3,\"durationMs\":600000"))
        let overview = await toolkit.next("breakout.status", at: facilitator)
        #expect((overview?["groups"] as? [[String: Any]])?.count == 3)
        let numbers = await groups(of: participants)
        #expect(numbers.sorted() == [1, 1, 2, 2, 3, 3], "three groups of two: \(numbers)")

        for group in 1...3 {
            let members = numbers.indices.filter { numbers[$0] == group }
            guard members.count == 2 else { continue }
            #expect(await acknowledged(facilitator, "breakout.visit", "v\(group)", "\"group\":\(group)"))
            let (speaker, listener) = (participants[members[0]], participants[members[1]])
            speaker.send(text: RoomWire.command("chat.send", "s\(group)", "\"text\":\"zq-group-\(group)\""))
            let heard = await toolkit.next("chat.message", at: listener)
            #expect(heard?["text"] as? String == "zq-group-\(group)")
            #expect(heard?["scope"] as? String == "breakout" && heard?["group"] as? Int == group)
            #expect(await RoomWire.waitFor(facilitator, "zq-group-\(group)") != nil, "the visitor sees it")
            facilitator.send(text: RoomWire.command("chat.send", "f\(group)", "\"text\":\"zq-visit-\(group)\""))
            for index in members {
                #expect(await RoomWire.waitFor(participants[index], "zq-visit-\(group)") != nil)
            }
        }
        // A broadcast reaches every group; what each read up to it holds no other group's words.
        #expect(await acknowledged(facilitator, "breakout.broadcast", "all", "\"text\":\"zq-all\""))
        for (index, participant) in participants.enumerated() {
            let seen = try #require(await toolkit.collect(participant, until: "zq-all"))
            for group in 1...3 where group != numbers[index] {
                #expect(!seen.contains { $0.contains("zq-group-\(group)") || $0.contains("zq-visit-\(group)") })
            }
        }

        // The facilitator visits group 3; a crisis alert from group 1 reaches them.
        let inOne = try #require(numbers.firstIndex(of: 1))
        participants[inOne].send(text: RoomWire.command("crisis.alert", "help"))
        let raised = await toolkit.next("crisis.raised", at: facilitator)
        #expect(raised?["member"] as? String == "p\(inOne)")
        #expect(await toolkit.next("crisis.received", at: participants[inOne])?["facilitatorsNotified"] as? Int == 1)

        #expect(await acknowledged(facilitator, "breakout.end", "back"))
        for member in [facilitator] + participants {
            #expect(await toolkit.next("breakout.ended", at: member)?["reason"] as? String == "ended")
        }

        // A second breakout ends with its countdown, and chat is the whole room's again.
        #expect(
            await acknowledged(
                facilitator, "breakout.start", "b2", "\"split\":\"balanced\",\"groups\":2,\"durationMs\":1000"))
        _ = await groups(of: participants)
        for member in [facilitator] + participants {
            let ended = await toolkit.next("breakout.ended", at: member)
            #expect(ended?["run"] as? Int == 2 && ended?["reason"] as? String == "time_up")
        }
        participants[0].send(text: RoomWire.command("chat.send", "back", "\"text\":\"zq-room\""))
        for member in [facilitator] + participants[1...] {
            let message = await toolkit.next("chat.message", at: member)
            #expect(message?["text"] as? String == "zq-room" && message?["scope"] as? String == "group")
        }
    }

    @Test func aFacilitatorVisitingNoGroupIsToldSoAndBadSplitsAreRefused() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (facilitator, _) = try await session(harness)
        facilitator.send(
            text: RoomWire.command("breakout.start", "bad", "\"split\":\"balanced\",\"groups\":7,\"durationMs\":60000"))
        #expect(await RoomWire.waitFor(facilitator, "\"id\":\"bad\"")?.contains("invalid_breakout") == true)
        facilitator.send(
            text: RoomWire.command("breakout.start", "nomembers", "\"split\":\"named\",\"durationMs\":60000"))
        #expect(await RoomWire.waitFor(facilitator, "\"id\":\"nomembers\"")?.contains("missing_field") == true)
        #expect(
            await acknowledged(
                facilitator, "breakout.start", "named",
                "\"split\":\"named\",\"members\":[[\"p0\",\"p1\"],[\"p2\"]],\"durationMs\":60000"))
        facilitator.send(text: RoomWire.command("chat.send", "lost", "\"text\":\"anyone?\""))
        #expect(await RoomWire.waitFor(facilitator, "\"id\":\"lost\"")?.contains("not_in_breakout_group") == true)
    }
}
