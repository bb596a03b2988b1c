import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import ServerTestSupport
import SocketTransport
import TestSupportCore
import Testing
import WebSocketCore

/// RoomConnection offers `iop.v2`: its own copy of a chat message, carrying the
/// command's id, is the acknowledgement (docs/PROTOCOL.md, "Versions"). Against a
/// server that does not choose it (here the real server, offered nothing) the same
/// client goes by the `ack`, as before.
@Suite(.serialized) struct OwnCopyAckTests {
    /// The dedicated transport, recording the subprotocols offered, and (`offers: false`)
    /// offering none: the server then speaks v1, as an older server would.
    final class OfferingTransport: RoomTransport {
        let inner = DedicatedRoomTransport(loop: Room.loops.next())
        let offers: Bool
        let offered = LockedValue<[[String]]>([])
        let chosen = LockedValue<[String?]>([])

        init(offers: Bool) { self.offers = offers }

        func connect(
            _ request: WebSocketClientRequest, handler: any WebSocketHandler,
            completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
        ) {
            var request = request
            offered.withLock { $0.append(request.subprotocols) }
            if !offers { request.subprotocols = [] }
            inner.connect(request, handler: handler) { [chosen] result in
                if case .success(let connection) = result { chosen.withLock { $0.append(connection.subprotocol) } }
                completion(result)
            }
        }
    }

    func connect(_ room: Room, _ member: String, _ role: String, transport: OfferingTransport) async throws -> (
        RoomConnection, Recorder
    ) {
        let recorder = Recorder()
        let connection = RoomConnection(
            address: ServerAddress(host: "127.0.0.1", port: room.harness.port, room: Room.id),
            token: try await room.token(member, role), transport: transport, random: SplitMix64(seed: 7),
            onEvent: { recorder.record($0) })
        connection.start()
        #expect(await recorder.waitFor("room.snapshot"))
        return (connection, recorder)
    }

    func outcomes(of id: CommandID, in recorder: Recorder) -> [CommandOutcome] {
        recorder.all.compactMap { if case .outcome(id, _, let outcome) = $0 { outcome } else { nil } }
    }

    @Test func theOwnCopyIsTheAcknowledgementUnderV2() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let transport = OfferingTransport(offers: true)
        let (dana, events) = try await connect(Room(harness: harness), "dana", "facilitator", transport: transport)
        #expect(transport.offered.current.first == ["iop.v2"], "iop offers iop.v2")
        #expect(transport.chosen.current.first == "iop.v2")
        let id = dana.send(.backChannel(ConfidentialText("only us")))
        guard case .accepted? = await events.outcome(of: id) else { throw TestFailure("not accepted") }
        let raw = events.rawMessages
        #expect(raw.contains { $0.contains("only us") && $0.hasSuffix(",\"ack\":\"\(id.rawValue)\"}") })
        #expect(!raw.contains("{\"v\":1,\"type\":\"ack\",\"id\":\"\(id.rawValue)\"}"), "no separate ack")
        #expect(dana.currentModel.messages.last?.text.revealed == "only us", "the copy is shown as a message too")
        // A command that posts nothing keeps its ack; each command has exactly one outcome.
        let lock = dana.send(.lockRoom)
        #expect(await events.outcome(of: lock)?.isAccepted == true)
        #expect(events.rawMessages.contains("{\"v\":1,\"type\":\"ack\",\"id\":\"\(lock.rawValue)\"}"))
        let refused = dana.send(.backChannel(ConfidentialText("  ")))
        guard case .refused(let code, _)? = await events.outcome(of: refused) else { throw TestFailure("accepted") }
        #expect(code == "empty_message")
        for command in [id, lock, refused] { #expect(outcomes(of: command, in: events).count == 1) }
        dana.leave()
        #expect(await events.finalFailure()?.isNormalEnd == true)
    }

    @Test func aServerSpeakingV1IsAnsweredByItsAck() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let transport = OfferingTransport(offers: false)
        let (dana, events) = try await connect(Room(harness: harness), "dana", "facilitator", transport: transport)
        #expect(transport.chosen.current.first == .some(nil))
        let id = dana.send(.backChannel(ConfidentialText("only us")))
        guard case .accepted? = await events.outcome(of: id) else { throw TestFailure("not accepted") }
        #expect(events.rawMessages.contains("{\"v\":1,\"type\":\"ack\",\"id\":\"\(id.rawValue)\"}"))
        #expect(await events.waitFor("only us"))
        #expect(!events.rawMessages.contains { $0.contains("\"ack\":") })
        #expect(outcomes(of: id, in: events).count == 1)
        dana.leave()
        #expect(await events.finalFailure()?.isNormalEnd == true)
    }
}
