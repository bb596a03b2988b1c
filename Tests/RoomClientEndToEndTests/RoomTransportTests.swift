import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import ServerTestSupport
import SocketTransport
import TestSupportCore
import Testing
import WebSocketCore

/// The transport seam: every attempt of a RoomConnection (the first, and each
/// reconnection with its `Last-Event-Sequence`) opens its WebSocket through the
/// RoomTransport it was given, so a shared HTTP/2 connection can later take
/// DedicatedRoomTransport's place without touching RoomConnection.
@Suite(.serialized) struct RoomTransportTests {
    /// DedicatedRoomTransport that writes down each request's path and resume header.
    final class RecordingTransport: RoomTransport {
        let inner = DedicatedRoomTransport(loop: Room.loops.next())
        let requests = LockedValue<[(path: String, resume: String?)]>([])

        func connect(
            _ request: WebSocketClientRequest, handler: any WebSocketHandler,
            completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
        ) {
            requests.withLock { $0.append((request.path, request.headers["Last-Event-Sequence"])) }
            inner.connect(request, handler: handler, completion: completion)
        }
    }

    @Test func everyAttemptOpensItsWebSocketThroughTheGivenTransport() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let room = Room(harness: harness)
        let transport = RecordingTransport()
        let clock = ManualScheduler()
        let recorder = Recorder()
        let connection = RoomConnection(
            address: ServerAddress(host: "127.0.0.1", port: harness.port, room: "dbt-skills"),
            token: try await room.token("dana", "facilitator", room: "dbt-skills"), transport: transport,
            scheduler: clock, random: SplitMix64(seed: 7), onEvent: { recorder.record($0) })
        connection.start()
        #expect(await recorder.waitFor("room.snapshot"))
        let first = transport.requests.current
        #expect(first.map(\.path) == ["/v1/rooms/dbt-skills"])
        #expect(first.first?.resume == nil, "a first join resumes nothing")
        let seen = try #require(connection.currentModel.lastSequence)

        connection.interrupt()
        guard
            case .reconnecting(let delay, _, _)? = await recorder.waitForState({
                if case .reconnecting = $0 { true } else { false }
            })
        else { throw TestFailure("no reconnecting state") }
        clock.advance(by: delay)
        #expect(
            await recorder.wait { _ in transport.requests.current.count == 2 && recorder.states.last == .connected })
        let again = transport.requests.current
        #expect(again.map(\.path) == ["/v1/rooms/dbt-skills", "/v1/rooms/dbt-skills"])
        #expect(again.last?.resume.flatMap(UInt64.init) ?? 0 >= seen, "the reconnection resumes through it too")
        connection.leave()
        #expect(await recorder.finalFailure()?.isNormalEnd == true)
    }
}
