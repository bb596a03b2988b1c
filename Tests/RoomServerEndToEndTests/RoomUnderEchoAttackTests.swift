import ServerTestSupport
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

@testable import RoomServer

/// Issue 18, item 1: a room keeps talking while `/echo` is flooded and the
/// server's memory budget is spent, because small commands and their fan-out
/// need no buffer of their own.
@Suite(.serialized) struct RoomUnderEchoAttackTests {
    @Test func aRoomKeepsTalkingWhileEchoHoldsTheWholeBudget() async throws {
        var settings = ServerSettings.echoTesting
        settings.transport.memoryBudgetBytes = 4 << 20
        settings.echoLimits = WebSocketLimits(maxFramePayloadLength: 1 << 20, maxMessageLength: 1 << 20)
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let budget = harness.server.memoryBudget
        let kit = RoomFanOutTests()
        let (facilitator, participants) = try await kit.group(harness, participants: 2)
        // Six hostile peers each start a 1 MiB message on /echo and never finish it;
        // each pings after its fragment, so the pong (or the 1013) says it was dealt with.
        let fragment = RawSocket.clientFrame(.binary, [UInt8](repeating: 9, count: 1 << 20), fin: false)
        let hostile = try (0..<6).map { _ in try RawSocket(port: harness.port) }
        for socket in hostile { #expect(socket.upgrade().hasPrefix("HTTP/1.1 101")) }
        var answers: [UInt8] = []
        for socket in hostile {
            socket.write(fragment + RawSocket.clientFrame(.ping, [1]))
            answers.append(socket.readSome().first ?? 0)
        }
        #expect(answers == [0x8A, 0x8A, 0x8A, 0x8A, 0x88, 0x88], "four pongs, then two closes (1013)")
        #expect(budget.usedBytes == budget.limit)
        // The room: a chat message reaches everyone, and the facilitator's command is answered.
        participants[0].send(text: kit.command("chat.send", "c1", "\"text\":\"still talking\""))
        for member in [facilitator] + participants {
            await #expect(kit.waitFor(member, "still talking") != nil)
        }
        facilitator.send(text: kit.command("chat.send", "c2", "\"text\":\"and answered\""))
        await #expect(kit.waitFor(facilitator, "\"ack\",\"id\":\"c2\"") != nil)
        #expect(budget.usedBytes == budget.limit, "the room needed none of the budget")
        withExtendedLifetime(hostile) {}
    }
}
