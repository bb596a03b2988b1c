// A peer for iop-bench --peer: the relay protocol of ../README.md on
// Hummingbird 2 with HummingbirdWebSocket's router-based upgrade.
//
// `server PORT` listens on 127.0.0.1:PORT. A member connects to /peer/<room>;
// each text message it sends goes, unchanged, to every other member of the
// room, then {"v":1,"type":"ack"} goes to the sender. The room registry is a
// Mutex holding each connection's WebSocketOutboundWriter. Text is forwarded
// as the received ByteBuffer (no String round trip); no extension (no
// compression) is configured and nothing is logged below .warning.

import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOWebSocket
import Synchronization

/// Who is in which room: each member's id and outbound writer.
final class Rooms: Sendable {
    struct Member: Sendable {
        let id: Int
        let writer: WebSocketOutboundWriter
    }

    private struct State {
        var lastID = 0
        var members: [String: [Member]] = [:]
    }

    private let state = Mutex(State())

    func join(_ room: String, _ writer: WebSocketOutboundWriter) -> Int {
        state.withLock { state in
            state.lastID += 1
            state.members[room, default: []].append(Member(id: state.lastID, writer: writer))
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

@main
struct Peer {
    static func main() async throws {
        guard CommandLine.arguments.count == 2, let port = Int(CommandLine.arguments[1]) else {
            FileHandle.standardError.write(Data("usage: server PORT\n".utf8))
            exit(2)
        }
        let rooms = Rooms()
        let ack = WebSocketOutboundWriter.OutboundFrame.custom(
            WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: #"{"v":1,"type":"ack"}"#))
        )

        let wsRouter = Router(context: BasicWebSocketRequestContext.self)
        wsRouter.ws("/peer/:room") { inbound, outbound, context in
            let room = context.requestContext.parameters.get("room") ?? ""
            let id = rooms.join(room, outbound)
            defer { rooms.leave(room, id) }
            var text: ByteBuffer?  // the text message being received (fragments joined)
            for try await frame in inbound {
                switch frame.opcode {
                case .text: text = frame.data
                case .binary: text = nil
                case .continuation: text?.writeImmutableBuffer(frame.data)
                }
                guard frame.fin, let message = text else { continue }
                text = nil
                let relay = WebSocketOutboundWriter.OutboundFrame.custom(
                    WebSocketFrame(fin: true, opcode: .text, data: message)
                )
                for member in rooms.members(room) where member.id != id {
                    try? await member.writer.write(relay)  // a member that just left is skipped
                }
                try await outbound.write(ack)
            }
        }

        var logger = Logger(label: "peer")
        logger.logLevel = .warning
        let app = Application(
            router: Router(),
            server: .http1WebSocketUpgrade(webSocketRouter: wsRouter),  // no extensions: no permessage-deflate
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            logger: logger
        )
        try await app.runService()
    }
}
