import Foundation
import RoomProtocol
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport

@testable import RoomServer

/// The facilitation toolkit through real sockets: a poll asked by a facilitator and
/// answered by three participants, its results to the chosen audience; reactions and
/// a cue; the balance panel's numbers; the poll's words in no metric and no file.
@Suite(.serialized) struct ToolkitEndToEndTests {
    static let room = "evening-process"

    func join(_ harness: ServerHarness, _ member: String, _ role: String) async throws -> TestClient {
        let bearer = try await harness.application.authority.issue(
            TokenClaims(
                member: member, alias: member.capitalized, role: role, room: Self.room, expires: Date() + 3600,
                tokenID: UUID().uuidString))
        return try await TestClient.connect(
            port: harness.port, path: "/v1/rooms/\(Self.room)", headers: ["Authorization": "Bearer \(bearer)"])
    }

    func command(_ type: String, _ id: String, _ fields: String = "") -> String {
        RoomWire.command(type, id, fields)
    }

    /// Every text message read until one containing `needle` (included); nil if none
    /// came within the bounded wait.
    func collect(_ client: TestClient, until needle: String) async -> [String]? {
        var seen: [String] = []
        for _ in 0..<5000 {
            guard case .text(let text)? = await client.nextMessage(timeout: .seconds(5)) else { return nil }
            seen.append(text)
            if text.contains(needle) { return seen }
        }
        return nil
    }

    /// The `event` object of the first event of `type` among `messages`.
    func event(_ type: String, in messages: [String]?) -> [String: Any]? {
        for message in messages ?? [] {
            guard let object = try? JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any],
                let event = object["event"] as? [String: Any], event["type"] as? String == type
            else { continue }
            return event
        }
        return nil
    }

    /// Waits for the next event of `type` and returns its object.
    func next(_ type: String, at client: TestClient) async -> [String: Any]? {
        event(type, in: await collect(client, until: "\"type\":\"\(type)\""))
    }

    /// A facilitator and admitted participants p0, p1, p2.
    func group(_ harness: ServerHarness) async throws -> (TestClient, [TestClient]) {
        let facilitator = try await join(harness, "facilitator", "facilitator")
        var participants: [TestClient] = []
        for index in 0..<3 {
            let participant = try await join(harness, "p\(index)", "participant")
            await #expect(RoomWire.waitFor(participant, "agreement.required") != nil)
            participant.send(text: command("agreement.accept", "a", "\"version\":\"2026-11\""))
            await #expect(RoomWire.waitFor(participant, "admission.waiting") != nil)
            facilitator.send(text: command("waiting.admit", "admit\(index)", "\"member\":\"p\(index)\""))
            await #expect(RoomWire.waitFor(facilitator, "\"ack\",\"id\":\"admit\(index)\"") != nil)
            await #expect(RoomWire.waitFor(participant, "room.snapshot") != nil)
            participants.append(participant)
        }
        return (facilitator, participants)
    }

    @Test func aPollForFacilitatorsIsAnsweredByThreeAndOnlyTheyGetTheCounts() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (facilitator, participants) = try await group(harness)
        let question = "zqpollquestion4f1"
        facilitator.send(
            text: command(
                "poll.ask", "q1",
                "\"question\":\"\(question)\",\"options\":[\"zqoptA\",\"zqoptB\",\"zqoptC\"],\"audience\":\"facilitators\""
            ))
        for participant in participants {
            let opened = await next("poll.opened", at: participant)
            #expect(opened?["question"] as? String == question)
            #expect(opened?["options"] as? [String] == ["zqoptA", "zqoptB", "zqoptC"])
        }
        #expect(await next("poll.progress", at: facilitator)?["answered"] as? Int == 0, "as it opens")
        for (index, participant) in participants.enumerated() {
            participant.send(text: command("poll.vote", "v\(index)", "\"poll\":1,\"choice\":\(index == 2 ? 0 : 1)"))
            await #expect(RoomWire.waitFor(participant, "\"ack\",\"id\":\"v\(index)\"") != nil)
            let progress = await next("poll.progress", at: facilitator)
            #expect(progress?["answered"] as? Int == index + 1)
            #expect(progress?["eligible"] as? Int == 3)
        }
        participants[0].send(text: command("poll.vote", "again", "\"poll\":1,\"choice\":2"))
        let refused = await RoomWire.waitFor(participants[0], "\"id\":\"again\"")
        #expect(refused?.contains("already_voted") == true)
        facilitator.send(text: command("poll.close", "close"))
        let results = await next("poll.closed", at: facilitator)
        #expect(results?["counts"] as? [Int] == [1, 2, 0])
        #expect(results?["answered"] as? Int == 3)
        for participant in participants {
            let closed = await next("poll.closed", at: participant)
            #expect(closed != nil && closed?["counts"] == nil, "no counts for participants")
            #expect(closed?["answered"] as? Int == 3)
        }
        let metrics = try await metricsBody(harness)
        for canary in [question, "zqoptA", "zqoptB"] {
            #expect(!metrics.contains(canary), "metrics leak \(canary)")
            #expect(try !dataFilesContain(harness, canary), "a data file holds \(canary)")
        }
    }

    @Test func aGroupPollClosesByItsTimeoutWithTheCountsForEveryone() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (facilitator, participants) = try await group(harness)
        facilitator.send(text: command("poll.ask", "q1", "\"question\":\"Energy, 0 to 10?\",\"timeoutMs\":400"))
        for participant in participants {
            #expect(await next("poll.opened", at: participant)?["kind"] as? String == "scale")
        }
        participants[1].send(text: command("poll.vote", "v", "\"poll\":1,\"choice\":10"))
        for member in [facilitator] + participants {
            let closed = await next("poll.closed", at: member)
            #expect(closed?["reason"] as? String == "timed_out")
            #expect((closed?["counts"] as? [Int])?.last == 1)
        }
    }

    @Test func reactionsCuesAndTheBalancePanel() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (facilitator, participants) = try await group(harness)
        participants[0].send(text: command("chat.send", "c1", "\"text\":\"first share\""))
        let message = await next("chat.message", at: participants[1])
        let id = try #require(message?["id"] as? Int)
        participants[1].send(text: command("reaction.add", "r1", "\"message\":\(id),\"reaction\":\"me_too\""))
        participants[2].send(text: command("reaction.add", "r2", "\"message\":\(id),\"reaction\":\"me_too\""))
        for member in [facilitator] + participants {
            _ = await next("reaction.changed", at: member)
            let tally = await next("reaction.changed", at: member)
            let counts = tally?["counts"] as? [[String: Any]]
            #expect(counts?.count == 1)
            #expect(counts?.first?["reaction"] as? String == "me_too")
            #expect(counts?.first?["count"] as? Int == 2)
            #expect(counts?.first?["aliases"] == nil, "counts only, by default")
        }
        participants[2].send(text: command("cue.set", "cue", "\"cue\":\"pause\""))
        let cue = await next("cue.changed", at: facilitator)
        #expect(cue?["alias"] as? String == "P2")
        #expect(cue?["cue"] as? String == "pause")
        #expect(await next("cue.changed", at: participants[2])?["cue"] as? String == "pause")
        // The group does not see it by default: p1 reads up to a later message and finds no cue.
        facilitator.send(text: command("chat.send", "sync", "\"text\":\"sync\""))
        let meanwhile = await collect(participants[1], until: "\"text\":\"sync\"")
        #expect(meanwhile != nil && event("cue.changed", in: meanwhile) == nil)

        participants[1].send(text: command("hand.raise", "h"))
        await #expect(RoomWire.waitFor(participants[1], "\"ack\",\"id\":\"h\"") != nil)
        facilitator.send(text: command("balance.get", "b"))
        let report = await next("balance.report", at: facilitator)
        let rows = try #require(report?["members"] as? [[String: Any]])
        let byMember = Dictionary(
            uniqueKeysWithValues: rows.compactMap { row in (row["member"] as? String).map { ($0, row) } })
        #expect(rows.count == 3)
        #expect(byMember["p0"]?["messages"] as? Int == 1)
        #expect(byMember["p0"]?["notYetHeard"] as? Bool == false)
        #expect(byMember["p1"]?["hands"] as? Int == 1)
        #expect(byMember["p1"]?["notYetHeard"] as? Bool == true)
        #expect(byMember["p2"]?["messages"] as? Int == 0)
        participants[0].send(text: command("balance.get", "nope"))
        #expect(await RoomWire.waitFor(participants[0], "\"id\":\"nope\"")?.contains("not_permitted") == true)
    }

    func metricsBody(_ harness: ServerHarness) async throws -> String {
        await harness.roomsSettled()
        let port = harness.port
        return try await offPool {
            let socket = try RawSocket(port: port)
            socket.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return String(decoding: socket.readUntilClosed().bytes, as: UTF8.self)
        }
    }

    func dataFilesContain(_ harness: ServerHarness, _ needle: String) throws -> Bool {
        let root = URL(fileURLWithPath: harness.dataDirectory)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            if let data = FileManager.default.contents(atPath: url.path), data.range(of: Data(needle.utf8)) != nil {
                return true
            }
        }
        return false
    }
}
