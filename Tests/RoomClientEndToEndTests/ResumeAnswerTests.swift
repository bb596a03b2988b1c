import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import ServerTestSupport
import SocketTransport
import TestSupportCore
import Testing
import WebSocketCore

/// A command whose answer a dropped connection took with it: under `iop.v2` the
/// replay on resuming still carries the member's own copy with the command's id,
/// so RoomConnection reports it carried out; under v1 nothing in the replay names
/// it, so it is reported `unknown` once the room has had its say (docs/PROTOCOL.md,
/// "Versions"). The answer is lost on purpose: the transport drops the connection
/// at the first answering frame after the command, before the client sees it.
@Suite(.serialized) struct ResumeAnswerTests {
    /// Forwards to the connection's own handler until armed; then the first frame
    /// containing `needle` and everything after it are dropped, and the connection is
    /// closed as a network failure would be (1001: the place is kept).
    final class LosingHandler: WebSocketHandler, @unchecked Sendable {
        let inner: any WebSocketHandler
        let needle: String
        let armed: LockedValue<Bool>
        private let lost = LockedValue(false)

        init(_ inner: any WebSocketHandler, needle: String, armed: LockedValue<Bool>) {
            self.inner = inner
            self.needle = needle
            self.armed = armed
        }

        func webSocketDidOpen(_ connection: WebSocketConnection) { inner.webSocketDidOpen(connection) }

        func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
            if lost.current { return }
            if armed.current, case .text(let text) = message, text.contains(needle) {
                lost.withLock { $0 = true }
                armed.withLock { $0 = false }
                return connection.close(code: .goingAway)
            }
            inner.webSocket(connection, didReceive: message)
        }

        func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
            inner.webSocketDidClose(connection, code: code)
        }

        func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?, reason: String) {
            inner.webSocketDidClose(connection, code: code, reason: reason)
        }
    }

    final class LosingTransport: RoomTransport {
        let inner = DedicatedRoomTransport(loop: Room.loops.next())
        let offers: Bool
        let needle: String
        let armed = LockedValue(false)

        init(offers: Bool, needle: String) {
            self.offers = offers
            self.needle = needle
        }

        func connect(
            _ request: WebSocketClientRequest, handler: any WebSocketHandler,
            completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
        ) {
            var request = request
            if !offers { request.subprotocols = [] }
            inner.connect(
                request, handler: LosingHandler(handler, needle: needle, armed: armed), completion: completion)
        }
    }

    /// Posts to the back channel with the answer lost, reconnects, and returns the outcome.
    func postAndLoseTheAnswer(offering v2: Bool) async throws -> (CommandOutcome?, Recorder, RoomConnection) {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let room = Room(harness: harness)
        let transport = LosingTransport(offers: v2, needle: v2 ? "did this go?" : "\"type\":\"ack\"")
        let clock = ManualScheduler()
        let recorder = Recorder()
        let connection = RoomConnection(
            address: ServerAddress(host: "127.0.0.1", port: harness.port, room: Room.id),
            token: try await room.token("dana", "facilitator"), transport: transport, scheduler: clock,
            random: SplitMix64(seed: 7), onEvent: { recorder.record($0) })
        connection.start()
        #expect(await recorder.waitFor("room.snapshot"))
        transport.armed.withLock { $0 = true }
        let id = connection.send(.backChannel(ConfidentialText("did this go?")))
        guard
            case .reconnecting(let delay, _, _)? = await recorder.waitForState({
                if case .reconnecting = $0 { true } else { false }
            })
        else { throw TestFailure("no reconnecting state") }
        #expect(recorder.all.allSatisfy { if case .outcome(id, _, _) = $0 { false } else { true } }, "not yet")
        clock.advance(by: delay)
        let outcome = await recorder.outcome(of: id)
        #expect(connection.currentModel.messages.contains { $0.text.revealed == "did this go?" }, "replayed")
        connection.leave()
        #expect(await recorder.finalFailure()?.isNormalEnd == true)
        return (outcome, recorder, connection)
    }

    @Test func underV2TheReplayedOwnCopyAnswersTheCommand() async throws {
        let (outcome, recorder, _) = try await postAndLoseTheAnswer(offering: true)
        #expect(outcome?.isAccepted == true)
        #expect(recorder.rawMessages.contains { $0.contains("did this go?") && $0.contains("\"ack\":\"") })
    }

    @Test func underV1TheCommandIsReportedUnknownAfterTheResume() async throws {
        let (outcome, recorder, _) = try await postAndLoseTheAnswer(offering: false)
        guard case .refused(let code, _)? = outcome else {
            throw TestFailure("not refused: \(String(describing: outcome))")
        }
        #expect(code == "unknown")
        #expect(!recorder.rawMessages.contains { $0.contains("\"ack\":\"") })
    }
}
