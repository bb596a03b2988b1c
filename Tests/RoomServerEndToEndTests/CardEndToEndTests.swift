import Foundation
import RoomProtocol
import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport

@testable import RoomServer

/// Skills cards through real sockets: a card shown to the room, a field filled in
/// privately, shared with the facilitator by its author, never seen by another
/// participant; the field's words in no metric, no data file and no error.
@Suite(.serialized) struct CardEndToEndTests {
    let kit = ToolkitEndToEndTests()

    func command(_ type: String, _ id: String, _ fields: String = "") -> String { RoomWire.command(type, id, fields) }

    @Test func aPrivateFieldReachesItsAuthorAndTheFacilitatorOnlyWhenShared() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (facilitator, participants) = try await kit.group(harness)
        let secret = "zqcardfield7c2e an argument at home"
        facilitator.send(text: command("card.show", "s1", "\"card\":\"dbt-stop\""))
        for member in [facilitator] + participants {
            let shown = await kit.next("card.shown", at: member)
            #expect(shown?["id"] as? String == "dbt-stop")
            #expect(shown?["card"] as? Int == 1)
            #expect((shown?["fields"] as? [[String: Any]])?.count == 3)
        }
        participants[0].send(text: command("card.fill", "f1", "\"card\":1,\"field\":0,\"text\":\"\(secret)\""))
        let own = await kit.next("card.fields", at: participants[0])
        #expect(own?["values"] as? [String] == [secret, "", ""])
        participants[1].send(text: command("card.fill", "f2", "\"card\":1,\"field\":1,\"text\":\"zqcardother\""))
        #expect(await kit.next("card.fields", at: participants[1])?["values"] as? [String] == ["", "zqcardother", ""])
        let tooLong = String(repeating: "zqcardlong", count: 30)
        participants[2].send(text: command("card.fill", "f3", "\"card\":1,\"field\":0,\"text\":\"\(tooLong)\""))
        let refusal = await RoomWire.waitFor(participants[2], "\"id\":\"f3\"")
        #expect(refusal?.contains("message_too_long") == true)
        #expect(refusal?.contains("zqcardlong") == false, "the refusal never repeats the words")

        // Before sharing, no one but its author has seen the field.
        facilitator.send(text: command("chat.send", "sync1", "\"text\":\"sync one\""))
        for member in [facilitator, participants[1], participants[2]] {
            let seen = await kit.collect(member, until: "\"text\":\"sync one\"")
            #expect(seen != nil && seen?.contains { $0.contains("zqcardfield") } == false)
        }
        participants[0].send(text: command("card.share", "sh", "\"card\":1"))
        let shared = await kit.next("card.shared", at: facilitator)
        #expect(shared?["member"] as? String == "p0")
        #expect(shared?["values"] as? [String] == [secret, "", ""])
        #expect(await kit.next("card.shared", at: participants[0])?["member"] as? String == "p0")
        facilitator.send(text: command("chat.send", "sync2", "\"text\":\"sync two\""))
        for member in [participants[1], participants[2]] {
            let seen = await kit.collect(member, until: "\"text\":\"sync two\"")
            #expect(seen != nil && seen?.contains { $0.contains("zqcardfield") || $0.contains("card.shared") } == false)
        }
        facilitator.send(text: command("card.fill", "ff", "\"card\":1,\"field\":0,\"text\":\"x\""))
        #expect(await RoomWire.waitFor(facilitator, "\"id\":\"ff\"")?.contains("not_permitted") == true)
        facilitator.send(text: command("card.withdraw", "w"))
        for member in participants { #expect(await kit.next("card.withdrawn", at: member)?["card"] as? Int == 1) }

        let metrics = try await kit.metricsBody(harness)
        for canary in ["zqcardfield", "zqcardother", "zqcardlong"] {
            #expect(!metrics.contains(canary), "metrics leak \(canary)")
            #expect(try !kit.dataFilesContain(harness, canary), "a data file holds \(canary)")
        }
    }
}
