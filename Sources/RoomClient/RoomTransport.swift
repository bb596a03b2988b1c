import SocketTransport
import WebSocketCore

/// How a ``RoomConnection`` opens the WebSocket of its room: the one seam between a
/// room's connection logic (commands, reconnect, resume) and the transport under it.
///
/// Today every room has a connection of its own (``DedicatedRoomTransport``: one TCP
/// or TLS connection per room, HTTP/1.1 upgrade). When the server speaks HTTP/2
/// (RFC 8441, extended CONNECT), a second conformance will open each room as one
/// stream of a connection shared by every room on the same server; `iop` then hands
/// that one transport to all of its ``RoomConnection``s and nothing else changes
/// (docs/CLIENT.md, "How it is built").
public protocol RoomTransport: Sendable {
    /// Opens one WebSocket for `request` (the room's path, its token, `Last-Event-Sequence`);
    /// `handler` receives its messages and its close; `completion` reports the upgrade's
    /// result once. Each call is a new attempt: reconnecting calls it again.
    func connect(
        _ request: WebSocketClientRequest, handler: any WebSocketHandler,
        completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void)
}

/// One connection of its own per room (and per attempt): `WebSocketClient.connect`
/// on `loop` with `configuration` (TCP, TLS for `wss://`, the HTTP/1.1 upgrade).
public struct DedicatedRoomTransport: RoomTransport {
    /// The event loop the sockets run on.
    public let loop: EventLoop
    /// Transport settings (handshake timeout and the rest).
    public let configuration: TransportConfiguration

    /// A transport opening each room's connection on `loop`.
    public init(loop: EventLoop, configuration: TransportConfiguration = TransportConfiguration()) {
        self.loop = loop
        self.configuration = configuration
    }

    /// Opens a new connection with `WebSocketClient.connect`.
    public func connect(
        _ request: WebSocketClientRequest, handler: any WebSocketHandler,
        completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
    ) {
        WebSocketClient.connect(
            request, handler: handler, loop: loop, configuration: configuration, completion: completion)
    }
}
