// A peer for iop-bench --peer: the relay protocol of ../README.md on
// FlyingFox's HTTPServer and WebSocketHTTPHandler.
//
// `server PORT` listens on 127.0.0.1:PORT. A member connects to /peer/<room>;
// each text message it sends goes, unchanged, to every other member of the
// room, then {"v":1,"type":"ack"} goes to the sender. Each connection's
// outbound AsyncStream<WSMessage> is registered in a Mutex-guarded room
// registry. FlyingFox negotiates no extension; its logger is disabled.

import FlyingFox
import Foundation
import Synchronization

/// Who is in which room: each member's id and outbound stream.
final class Rooms: Sendable {
    struct Member: Sendable {
        let id: Int
        let outbox: AsyncStream<WSMessage>.Continuation
    }

    private struct State {
        var lastID = 0
        var members: [String: [Member]] = [:]
    }

    private let state = Mutex(State())

    func join(_ room: String, _ outbox: AsyncStream<WSMessage>.Continuation) -> Int {
        state.withLock { state in
            state.lastID += 1
            state.members[room, default: []].append(Member(id: state.lastID, outbox: outbox))
            return state.lastID
        }
    }

    func leave(_ room: String, _ id: Int) {
        state.withLock { state in
            state.members[room]?.removeAll { $0.id == id }
            if state.members[room]?.isEmpty == true { state.members[room] = nil }
        }
    }

    /// The room's members now (a copy-on-write snapshot: no copy per call).
    func members(_ room: String) -> [Member] {
        state.withLock { $0.members[room] ?? [] }
    }
}

/// One member of one room: relays its text to the others, then acks it.
struct RoomMember: WSMessageHandler {
    static let ack = WSMessage.text(#"{"v":1,"type":"ack"}"#)
    let room: String
    let rooms: Rooms

    func makeMessages(for client: AsyncStream<WSMessage>) async throws -> AsyncStream<WSMessage> {
        let (outbox, continuation) = AsyncStream.makeStream(of: WSMessage.self)
        let id = rooms.join(room, continuation)
        Task {
            for await message in client {
                guard case .text = message else { continue }
                for member in rooms.members(room) where member.id != id {
                    member.outbox.yield(message)
                }
                continuation.yield(Self.ack)
            }
            rooms.leave(room, id)
            continuation.finish()
        }
        return outbox
    }
}

@main
struct Peer {
    static func main() async throws {
        guard CommandLine.arguments.count == 2, let port = UInt16(CommandLine.arguments[1]) else {
            FileHandle.standardError.write(Data("usage: server PORT\n".utf8))
            exit(2)
        }
        let rooms = Rooms()
        let server = HTTPServer(address: try .inet(ip4: "127.0.0.1", port: port), logger: .disabled)
        // The room is the last path component: read it, then hand the
        // request to a WebSocketHTTPHandler for that room's member.
        await server.appendRoute("GET /peer/*") { request in
            let room = String(request.path.split(separator: "/").last ?? "")
            let member = RoomMember(room: room, rooms: rooms)
            return try await WebSocketHTTPHandler.webSocket(member).handleRequest(request)
        }
        try await server.run()
    }
}
