import RoomClient
import RoomCore
import RoomProtocol
import ServerTestSupport
import SocketTransport
import Synchronization
import Testing

@testable import TerminalUI

/// A facilitator in two rooms over ONE HTTP/2 connection (`SharedRoomTransport`,
/// h2c with prior knowledge on loopback: the same code as TLS with ALPN h2 after
/// the handshake), against a real in-process server: a crisis alert from the room
/// behind reaches the screen, one room leaving leaves the other, and the shared
/// connection dying makes each room reconnect on its own.
@Suite(.serialized) struct SharedConnectionTests {
    private func count(_ counter: borrowing Atomic<Int>) -> Int { counter.load(ordering: .relaxed) }

    /// Dana in both rooms over one shared HTTP/2 connection (h2c, prior knowledge), each room's snapshot in.
    private func danaInBothRooms(
        _ harness: ServerHarness
    ) async throws -> (Room, SharedRoomTransport, SeveralRoomsTests.Facilitator) {
        let room = Room(harness: harness)
        let transport = SharedRoomTransport(loop: Room.loops.next())
        let dana = try await SeveralRoomsTests.Facilitator(room: room, transport: transport, http2: .priorKnowledge)
        for recorder in dana.recorders { #expect(await recorder.waitFor("room.snapshot")) }
        return (room, transport, dana)
    }

    @Test func twoRoomsOverOneConnectionAndACrisisAlertFromTheRoomBehind() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (room, transport, dana) = try await danaInBothRooms(harness)
        let statistics = harness.server.statistics
        #expect(count(statistics.acceptedConnections) == 1, "both rooms on one TCP connection")
        #expect(count(statistics.http2.connections) == 1)
        #expect(count(statistics.http2.webSocketStreams) == 2)

        let (river, riverEvents) = try await SeveralRoomsTests.participant("river", in: 0, room, dana)
        let (sky, skyEvents) = try await SeveralRoomsTests.participant("sky", in: 1, room, dana)
        let raised = sky.send(.crisisAlert)
        #expect(await skyEvents.outcome(of: raised)?.isAccepted == true)
        #expect(await dana.recorders[1].waitFor("crisis.raised"))
        #expect(dana.view.withLock { $0.tabs.front } == 0, "evening-process is still in front")
        #expect(dana.screen[2].hasPrefix(" !!! CRISIS in dbt-skills (Alt-j): Sky needs help now"), "\(dana.screen[2])")
        #expect(dana.bells.current == 1)

        // Dana leaves evening-process; dbt-skills goes on over the same connection.
        dana.connections[0].leave()
        #expect(await dana.recorders[0].finalFailure()?.isNormalEnd == true)
        #expect(await dana.run("/ack", in: 1))
        #expect(await skyEvents.waitFor("crisis.acknowledged"))
        let said = sky.send(.sendChat(ConfidentialText("still with you")))
        #expect(await skyEvents.outcome(of: said)?.isAccepted == true)
        #expect(await dana.recorders[1].waitFor("still with you"))
        #expect(count(statistics.http2.connections) == 1)
        #expect(count(statistics.acceptedConnections) == 3, "Dana's one, and one per participant")

        for connection in [dana.connections[1], river, sky] { connection.leave() }
        #expect(await dana.recorders[1].finalFailure()?.isNormalEnd == true)
        _ = riverEvents
    }

    @Test func whenTheSharedConnectionDiesEachRoomReconnectsOnItsOwn() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (room, transport, dana) = try await danaInBothRooms(harness)
        let (sky, skyEvents) = try await SeveralRoomsTests.participant("sky", in: 1, room, dana)

        transport.pool.interrupt()
        for recorder in dana.recorders {
            #expect(await recorder.waitForState { if case .reconnecting = $0 { true } else { false } } != nil)
        }
        for recorder in dana.recorders {
            #expect(await recorder.wait { _ in recorder.states.filter { $0 == .connected }.count == 2 })
        }
        let statistics = harness.server.statistics
        #expect(count(statistics.http2.connections) == 2, "a new shared connection")
        #expect(count(statistics.http2.webSocketStreams) == 4)
        let said = sky.send(.sendChat(ConfidentialText("back again")))
        #expect(await skyEvents.outcome(of: said)?.isAccepted == true)
        #expect(await dana.recorders[1].waitFor("back again"))

        for connection in dana.connections + [sky] { connection.leave() }
        for recorder in dana.recorders { #expect(await recorder.finalFailure()?.isNormalEnd == true) }
    }

    @Test func aRefusedRoomOnTheSharedConnectionReadsAsOverHTTP1AndLeavesTheOthers() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let (room, transport, dana) = try await danaInBothRooms(harness)
        var address = ServerAddress(host: "127.0.0.1", port: harness.port, room: Room.id)
        address.http2 = .priorKnowledge
        let wrongRoom = try await room.token("river", "participant", room: "dbt-skills")
        for (token, code) in [("not.a.token", "invalid_token"), (wrongRoom, "wrong_room")] {
            let overHTTP2 = Recorder()
            RoomConnection(
                address: address, token: token, transport: transport, onEvent: { overHTTP2.record($0) }
            ).start()
            let (_, overHTTP1) = try await room.connect("river", "participant", token: token)
            let refused = try #require(await overHTTP2.finalFailure())
            #expect(refused.code == code)
            #expect(refused == (await overHTTP1.finalFailure()), "the same refusal, word for word")
        }
        let statistics = harness.server.statistics
        #expect(statistics.http2.connections.load(ordering: .relaxed) == 1)
        #expect(statistics.http2.streams.load(ordering: .relaxed) == 4, "two rooms, two refusals")
        for index in [0, 1] {
            let ping = dana.connections[index].send(.ping)
            #expect(await dana.recorders[index].outcome(of: ping)?.isAccepted == true, "room \(index) goes on")
        }
        for connection in dana.connections { connection.leave() }
        for recorder in dana.recorders { #expect(await recorder.finalFailure()?.isNormalEnd == true) }
    }
}
