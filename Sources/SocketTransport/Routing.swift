import WebSocketCore

/// A complete plain HTTP response; the server always closes after sending it
/// (no keep-alive: every route here is one request per connection).
public struct HTTPResponse: Sendable, Hashable {
    /// The status code.
    public var status: Int
    /// Header fields; `Content-Length` and `Connection: close` are added on sending.
    public var headers: HTTPHeaders
    /// The body.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain` response; `text` is the body followed by a newline.
    public static func text(_ status: Int, _ text: String, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var all = headers
        all.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        return HTTPResponse(status: status, headers: all, body: Array((text + "\n").utf8))
    }

    /// The response as bytes on the wire. Without `body` (the answer to a
    /// HEAD request, RFC 9110 §9.3.2) the head is the same, `Content-Length`
    /// included, and no body follows.
    func serialized(body includesBody: Bool = true) -> [UInt8] {
        var headers = self.headers
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(status: status, headers: headers).serialized()
        return includesBody ? head + body : head
    }
}

/// Per-endpoint settings for an accepted WebSocket.
public struct WebSocketEndpointOptions: Sendable, Hashable {
    /// Frame and message size limits for what the peer sends.
    public var limits: WebSocketLimits
    /// Most bytes that may wait in the outbound queue before the peer is
    /// treated as a slow consumer and closed with 1013. Default 4 MiB.
    public var maxQueuedBytes: Int
    /// Extra headers for the 101 response.
    public var responseHeaders: HTTPHeaders
    /// permessage-deflate (RFC 7692): a server accepts offers within this
    /// configuration, a client offers it. Default nil: no compression, because
    /// compressing secrets with attacker-chosen text leaks them through
    /// lengths, even under TLS (see docs/OPERATIONS.md).
    public var compression: PerMessageDeflateConfiguration?
    /// The subprotocol agreed in the handshake (RFC 6455 §1.9). A server's route sets
    /// it from the request's offer (``Subprotocol/select(from:supported:)``) and the
    /// 101 (or HTTP/2's 200) names it in `Sec-WebSocket-Protocol`; on a client it is
    /// what the server chose. Default nil: none.
    public var subprotocol: String?

    /// Creates options; see each property for its default.
    public init(
        limits: WebSocketLimits = WebSocketLimits(), maxQueuedBytes: Int = 4 << 20,
        responseHeaders: HTTPHeaders = [:], compression: PerMessageDeflateConfiguration? = nil,
        subprotocol: String? = nil
    ) {
        self.limits = limits
        self.maxQueuedBytes = maxQueuedBytes
        self.responseHeaders = responseHeaders
        self.compression = compression
        self.subprotocol = subprotocol
    }
}

/// What the server does with one HTTP request.
public enum RouteDecision: Sendable {
    /// Answer with this response and close.
    case respond(HTTPResponse)
    /// Complete the WebSocket handshake (if the request is a valid upgrade) and
    /// hand the connection to `handler`.
    case upgrade(any WebSocketHandler, WebSocketEndpointOptions)
    /// Decide later (for example after an asynchronous token check): the
    /// closure is called once with a completion that takes the real decision,
    /// from any thread. The handshake timeout still applies meanwhile.
    case deferred(@Sendable (_ decide: @escaping @Sendable (RouteDecision) -> Void) -> Void)
}

/// Decides, per request, between a plain response and a WebSocket upgrade.
/// Called on the connection's event loop: it must not block.
public protocol HTTPRouter: Sendable {
    /// Routes `request`, received from `peer`.
    func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision
}

/// The application side of one WebSocket connection. Every callback runs on
/// the connection's event loop, one at a time, and must not block.
public protocol WebSocketHandler: AnyObject, Sendable {
    /// The handshake is complete; `connection` can send.
    func webSocketDidOpen(_ connection: WebSocketConnection)
    /// A complete message arrived.
    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage)
    /// The connection is over: `code` is the close code of the handshake, or
    /// `nil` if the connection ended without one (dropped, timed out).
    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?)
    /// The same, with the reason text of the peer's close frame (empty if it
    /// had none, or there was none). Defaults to `webSocketDidClose(_:code:)`.
    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?, reason: String)
}

extension WebSocketHandler {
    /// Handlers that do not need the reason get the code only.
    public func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?, reason: String) {
        webSocketDidClose(connection, code: code)
    }
}
