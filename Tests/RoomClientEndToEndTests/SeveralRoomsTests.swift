import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import RoomServer
import ServerTestSupport
import SocketTransport
import Testing

@testable import TerminalUI

/// A facilitator in two rooms at once against a real in-process server, run as `iop`
/// runs it: one RoomConnection (one WebSocket) per room, each room's events fed to
/// one RoomsState, the screen rendered from it. A participant in each room.
@Suite(.serialized) struct SeveralRoomsTests {
    static let rooms = ["evening-process", "dbt-skills"]

    /// The facilitator's side: the connections, what each reported, the screen state.
    final class Facilitator: Sendable {
        let view = LockedValue(RoomsState(rooms: SeveralRoomsTests.rooms))
        let bells = LockedValue(0)
        let recorders = [Recorder(), Recorder()]
        let connections: [RoomConnection]

        /// Dana's rooms, each over a connection of its own, or through `transport` (with `http2`).
        init(
            room: Room, transport: (any RoomTransport)? = nil, http2: HTTP2ClientMode = .negotiate
        ) async throws {
            var connections: [RoomConnection] = []
            for (index, id) in SeveralRoomsTests.rooms.enumerated() {
                let token = try await room.token("dana", "facilitator", room: id)
                let view = view
                let bells = bells
                let recorder = recorders[index]
                var address = ServerAddress(host: "127.0.0.1", port: room.harness.port, room: id)
                address.http2 = http2
                connections.append(
                    RoomConnection(
                        address: address, token: token, loop: Room.loops.next(), transport: transport,
                        onEvent: { event in
                            let reaction = view.withLock { $0.apply(event, room: index, localNow: 0) }
                            if reaction == .bell { bells.withLock { $0 += 1 } }
                            recorder.record(event)  // after the view: a wait that returns sees it applied
                        }))
            }
            self.connections = connections
            connections.forEach { $0.start() }
        }

        var screen: [String] { view.withLock { $0.render(width: 80, height: 24).lines } }

        /// Runs a typed line in room `index`; true when the room accepted it.
        func run(_ line: String, in index: Int) async -> Bool {
            guard case .command(let command) = InputParser.parse(line, in: connections[index].currentModel) else {
                return false
            }
            return await recorders[index].outcome(of: connections[index].send(command))?.isAccepted == true
        }
    }

    /// A participant in room `id`, admitted by the facilitator.
    static func participant(
        _ name: String, in index: Int, _ room: Room, _ facilitator: Facilitator
    ) async throws -> (RoomConnection, Recorder) {
        let id = rooms[index]
        let (connection, recorder) = try await room.connect(
            name, "participant", token: try await room.token(name, "participant", room: id), room: id)
        #expect(await recorder.waitFor("agreement.required"))
        guard case .command(let accept) = InputParser.parse("/accept", in: connection.currentModel) else {
            throw TestFailure("no accept")
        }
        connection.send(accept)
        #expect(await facilitator.recorders[index].waitFor("\"alias\":\"\(name.capitalized)\""))
        #expect(await facilitator.run("/admit \(name)", in: index))
        #expect(await recorder.waitFor("room.snapshot"))
        return (connection, recorder)
    }

    @Test func aCrisisAlertInTheRoomBehindReachesTheFacilitatorsScreen() async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let room = Room(harness: harness)
        let dana = try await Facilitator(room: room)
        for recorder in dana.recorders { #expect(await recorder.waitFor("room.snapshot")) }
        #expect(dana.screen[1].hasPrefix("[1 evening-process]  2 dbt-skills "), "\(dana.screen[1])")

        let (river, riverEvents) = try await Self.participant("river", in: 0, room, dana)
        let (sky, skyEvents) = try await Self.participant("sky", in: 1, room, dana)
        #expect(dana.view.withLock { $0.tabs.tabs[1].marks.waiting }, "Sky arrived in the room behind")
        #expect(dana.screen[1].contains("2 dbt-skills ⌛"), "\(dana.screen[1])")

        let said = sky.send(.sendChat(ConfidentialText("Is anyone there?")))
        #expect(await skyEvents.outcome(of: said)?.isAccepted == true)
        #expect(await dana.recorders[1].waitFor("Is anyone there?"))
        #expect(dana.view.withLock { $0.tabs.tabs[1].marks.messages } == 1)
        #expect(!dana.screen.contains { $0.contains("Is anyone there?") }, "the room behind's text is not in front")

        let raised = sky.send(.crisisAlert)
        #expect(await skyEvents.outcome(of: raised)?.isAccepted == true)
        #expect(await dana.recorders[1].waitFor("crisis.raised"))
        let screen = dana.screen
        #expect(dana.view.withLock { $0.tabs.front } == 0, "evening-process is still in front")
        #expect(screen[0].hasPrefix(" Evening process group"))
        #expect(screen[1].contains("2 dbt-skills !!!"))
        #expect(screen[2].hasPrefix(" !!! CRISIS in dbt-skills (Alt-j): Sky needs help now"), "\(screen[2])")
        #expect(dana.bells.current == 1, "the bell rang once")
        #expect(!riverEvents.rawMessages.contains { $0.contains("crisis.raised") }, "the other room never hears of it")

        let target = dana.view.withLock { RoomKeys.target(of: .alt("j"), in: $0.tabs) }
        #expect(target == 1)
        dana.view.withLock { $0.switchRoom(to: target ?? 0) }
        let there = dana.screen
        #expect(there[0].hasPrefix(" DBT skills group"))
        #expect(there[2].contains("!!! CRISIS ALERT: Sky needs help now — reach out, then /ack 1 !!!"), "\(there[2])")
        #expect(there.contains { $0.contains("Is anyone there?") }, "the room's messages, now in front")
        #expect(dana.view.withLock { $0.tabs.tabs[1].marks.isEmpty }, "marks cleared in front")

        dana.view.withLock { $0.switchRoom(to: 0) }
        #expect(dana.screen[2].contains("CRISIS in dbt-skills"), "it stays until acknowledged")
        #expect(await dana.run("/ack", in: 1))
        #expect(await skyEvents.waitFor("crisis.acknowledged"))
        #expect(await dana.recorders[1].waitFor("crisis.acknowledged"))
        #expect(!dana.screen.contains { $0.contains("CRISIS") }, "gone once acknowledged in its room")

        for connection in dana.connections + [river, sky] { connection.leave() }
        for recorder in dana.recorders { #expect(await recorder.finalFailure()?.isNormalEnd == true) }
    }
}
