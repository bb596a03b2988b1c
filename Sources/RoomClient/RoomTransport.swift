import SocketTransport
import WebSocketCore

/// How a ``RoomConnection`` opens the WebSocket of its room: the one seam between a
/// room's connection logic (commands, reconnect, resume) and the transport under it.
///
/// ``DedicatedRoomTransport`` gives every room a connection of its own (TCP or TLS;
/// HTTP/2 when the server selects it, one stream on a connection of its own).
/// ``SharedRoomTransport`` opens each room as one stream (RFC 8441, extended
/// CONNECT) of one HTTP/2 connection shared by every room on the same server when
/// the server speaks h2, and falls back to a connection per room otherwise; `iop`
/// hands that one transport to all of its ``RoomConnection``s and nothing else
/// changes (docs/CLIENT.md, "How it is built").
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

/// Rooms on the same server share one HTTP/2 connection (each room one stream) when
/// the server speaks h2: `WebSocketClientPool` on `loop`. Closing one room leaves the
/// others; when the shared connection dies every room sees its WebSocket close and
/// reconnects on its own, with its own backoff, on a new shared connection.
public struct SharedRoomTransport: RoomTransport {
    /// The pool holding the shared connections.
    public let pool: WebSocketClientPool

    /// A transport whose connections run on `loop` with `configuration`.
    public init(loop: EventLoop, configuration: TransportConfiguration = TransportConfiguration()) {
        pool = WebSocketClientPool(loop: loop, configuration: configuration)
    }

    /// Opens the room's WebSocket through the pool.
    public func connect(
        _ request: WebSocketClientRequest, handler: any WebSocketHandler,
        completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
    ) {
        pool.connect(request, handler: handler, completion: completion)
    }
}
