import Foundation
import RoomProtocol
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport

@testable import RoomServer

/// One whole session of the facilitation toolkit through real sockets (issue 22's
/// evidence): a facilitator and eleven participants admitted; a poll answered by all,
/// its counts to the facilitator only; three breakout groups, each visited, each
/// group's words kept in it; a skills card with a field filled privately and shared;
/// a reaction round on one group message; the balance panel's numbers. Every
/// member's events are kept, and what each saw, and did not see, is checked at the
/// end; no words reach the data folder.
@Suite(.serialized) struct FullToolkitSessionTests {
    let kit = ToolkitEndToEndTests()

    /// Member 0 is the facilitator; member i (1…11) is participant p(i-1).
    final class Members {
        var clients: [TestClient] = []
        var logs: [[String]] = []

        /// Reads member `index`'s messages into its log until `count` of them contain
        /// `needle` (counted from now); false if the bounded wait runs out first.
        func read(_ index: Int, until needle: String, count: Int = 1) async -> Bool {
            var found = 0
            for _ in 0..<5000 {
                guard case .text(let text)? = await clients[index].nextMessage(timeout: .seconds(5)) else {
                    return false
                }
                logs[index].append(text)
                if text.contains(needle) { found += 1 }
                if found == count { return true }
            }
            return false
        }

        /// Every member reads until `needle`.
        func everyoneReads(until needle: String, count: Int = 1) async {
            for index in clients.indices {
                #expect(await read(index, until: needle, count: count), "member \(index) never saw \(needle)")
            }
        }

        func send(_ index: Int, _ type: String, _ id: String, _ fields: String = "") {
            clients[index].send(text: RoomWire.command(type, id, fields))
        }

        /// Sends and reads the sender's log up to the acknowledgement.
        func acknowledged(_ index: Int, _ type: String, _ id: String, _ fields: String = "") async -> Bool {
            send(index, type, id, fields)
            return await read(index, until: "\"ack\",\"id\":\"\(id)\"")
        }

        /// Whether member `index` ever saw `needle`.
        func saw(_ index: Int, _ needle: String) -> Bool { logs[index].contains { $0.contains(needle) } }
    }

    static let groups = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]

    func admitted(_ harness: ServerHarness) async throws -> Members {
        let members = Members()
        members.clients.append(try await kit.join(harness, "facilitator", "facilitator"))
        members.logs.append([])
        for index in 0..<11 {
            members.clients.append(try await kit.join(harness, "p\(index)", "participant"))
            members.logs.append([])
            let me = index + 1
            #expect(await members.read(me, until: "agreement.required"))
            members.send(me, "agreement.accept", "a", "\"version\":\"2026-11\"")
            #expect(await members.read(me, until: "admission.waiting"))
            #expect(await members.acknowledged(0, "waiting.admit", "admit\(index)", "\"member\":\"p\(index)\""))
            #expect(await members.read(me, until: "room.snapshot"))
        }
        return members
    }

    @Test func twelveMembersThroughPollBreakoutCardReactionsAndBalance() async throws {
        var settings = ServerSettings.echoTesting
        settings.session.burst = 200
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let members = try await admitted(harness)
        let participants = Array(1...11)

        // A poll for facilitators: all eleven answer; the counts go to the facilitator only.
        let question = "zqfullpoll9a"
        members.send(
            0, "poll.ask", "q",
            "\"question\":\"\(question)\",\"options\":[\"zqA\",\"zqB\",\"zqC\"],\"audience\":\"facilitators\"")
        await members.everyoneReads(until: "poll.opened")
        for me in participants {
            #expect(await members.acknowledged(me, "poll.vote", "v", "\"poll\":1,\"choice\":\((me - 1) % 3)"))
        }
        #expect(await members.read(0, until: "\"answered\":11"))
        members.send(0, "poll.close", "close")
        await members.everyoneReads(until: "poll.closed")
        let closed = kit.event("poll.closed", in: members.logs[0])
        #expect(closed?["counts"] as? [Int] == [4, 4, 3] && closed?["answered"] as? Int == 11)
        for me in participants {
            let theirs = kit.event("poll.closed", in: members.logs[me])
            #expect(theirs != nil && theirs?["counts"] == nil && theirs?["answered"] as? Int == 11, "p\(me - 1)")
            #expect(!members.saw(me, "poll.progress"), "p\(me - 1) saw the progress")
        }

        // Three named groups; the facilitator visits each; p0, p4, p8 speak in theirs.
        let split = Self.groups.map { "[" + $0.map { "\"p\($0)\"" }.joined(separator: ",") + "]" }
        #expect(
            await members.acknowledged(
                0, "breakout.start", "b",
                "\"split\":\"named\",\"members\":[\(split.joined(separator: ","))],\"durationMs\":600000"))
        for me in participants { #expect(await members.read(me, until: "breakout.status")) }
        for (offset, group) in Self.groups.enumerated() {
            let number = offset + 1
            #expect(await members.acknowledged(0, "breakout.visit", "visit\(number)", "\"group\":\(number)"))
            members.send(group[0] + 1, "chat.send", "s", "\"text\":\"zq-group-\(number)\"")
            #expect(await members.read(0, until: "zq-group-\(number)"), "the visitor hears group \(number)")
            members.send(0, "chat.send", "f\(number)", "\"text\":\"zq-visit-\(number)\"")
            #expect(await members.read(0, until: "zq-visit-\(number)"))
            for index in group { #expect(await members.read(index + 1, until: "zq-visit-\(number)")) }
        }
        #expect(await members.acknowledged(0, "breakout.broadcast", "all", "\"text\":\"zq-all\""))
        await members.everyoneReads(until: "zq-all")
        #expect(await members.acknowledged(0, "breakout.end", "back"))
        await members.everyoneReads(until: "breakout.ended")

        // A skills card: p5 fills a field privately, then shares it.
        let secret = "zqfullcard71 a quarrel at work"
        members.send(0, "card.show", "card", "\"card\":\"dbt-stop\"")
        await members.everyoneReads(until: "card.shown")
        #expect(await members.acknowledged(6, "card.fill", "fill", "\"card\":1,\"field\":0,\"text\":\"\(secret)\""))
        members.send(0, "chat.send", "sync1", "\"text\":\"zq-sync-one\"")
        await members.everyoneReads(until: "zq-sync-one")
        #expect(!members.saw(0, "zqfullcard"), "the facilitator saw the field before it was shared")
        members.send(6, "card.share", "share", "\"card\":1")
        #expect(await members.read(0, until: "card.shared"))
        #expect(kit.event("card.shared", in: members.logs[0])?["values"] as? [String] == [secret, "", ""])
        members.send(0, "chat.send", "sync2", "\"text\":\"zq-sync-two\"")
        await members.everyoneReads(until: "zq-sync-two")

        // A reaction round: four react to p1's message in the whole group.
        members.send(2, "chat.send", "round", "\"text\":\"zq-round\"")
        await members.everyoneReads(until: "zq-round")
        let message = try #require(kit.event("chat.message", in: members.logs[1].filter { $0.contains("zq-round") }))
        let id = try #require(message["id"] as? Int)
        for (me, reaction) in [(3, "me_too"), (4, "me_too"), (5, "me_too"), (0, "support")] {
            #expect(
                await members.acknowledged(me, "reaction.add", "r", "\"message\":\(id),\"reaction\":\"\(reaction)\""))
        }
        members.send(0, "chat.send", "sync3", "\"text\":\"zq-sync-three\"")
        await members.everyoneReads(until: "zq-sync-three")
        for index in members.clients.indices {
            let tallies = members.logs[index].filter { $0.contains("reaction.changed") }
            #expect(tallies.count == 4, "member \(index) got \(tallies.count) tallies")
            let counts = kit.event("reaction.changed", in: tallies.suffix(1))?["counts"] as? [[String: Any]] ?? []
            let byKind = Dictionary(uniqueKeysWithValues: counts.map { ($0["reaction"] as? String ?? "", $0) })
            #expect(byKind["me_too"]?["count"] as? Int == 3 && byKind["support"]?["count"] as? Int == 1)
            #expect(counts.allSatisfy { $0["aliases"] == nil }, "counts only under the default policy")
        }

        // The balance panel: p0, p4 and p8 spoke once in their groups, p1 once in the round.
        members.send(0, "balance.get", "bal")
        #expect(await members.read(0, until: "balance.report"))
        let rows = try #require(kit.event("balance.report", in: members.logs[0])?["members"] as? [[String: Any]])
        #expect(rows.count == 11)
        for row in rows {
            let member = row["member"] as? String ?? ""
            let spoken = ["p0": 1, "p1": 1, "p4": 1, "p8": 1][member] ?? 0
            #expect(row["messages"] as? Int == spoken, "\(member)")
            #expect(row["notYetHeard"] as? Bool == (spoken == 0), "\(member)")
            #expect(row["hands"] as? Int == 0 && row["present"] as? Bool == true, "\(member)")
        }

        // What each saw, and did not.
        for (offset, group) in Self.groups.enumerated() {
            for index in 0..<11 {
                let inIt = group.contains(index)
                #expect(members.saw(index + 1, "zq-group-\(offset + 1)") == inIt, "p\(index), group \(offset + 1)")
                #expect(members.saw(index + 1, "zq-visit-\(offset + 1)") == inIt, "p\(index), visit \(offset + 1)")
            }
            #expect(members.saw(0, "zq-group-\(offset + 1)"), "the visitor saw group \(offset + 1)")
        }
        for me in participants {
            #expect(members.saw(me, "zqfullcard") == (me == 6), "p\(me - 1) and the field")
            #expect(members.saw(me, "card.shared") == (me == 6), "p\(me - 1) and the share")
            #expect(!members.saw(me, "balance.report"))
        }
        #expect(members.saw(0, secret))
        for canary in [question, "zqA", "zq-group-", "zq-visit-", "zq-all", "zqfullcard", "zq-round", "zq-sync"] {
            #expect(try !kit.dataFilesContain(harness, canary), "a data file holds \(canary)")
        }
    }
}
