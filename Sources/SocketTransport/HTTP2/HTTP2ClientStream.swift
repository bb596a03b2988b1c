import WebSocketCore

/// One WebSocket to open as a stream of an HTTP/2 client connection: what
/// `WebSocketClient.connect` was asked, and the caller waiting for it.
struct HTTP2OpenRequest {
    let request: WebSocketClientRequest
    let handler: any WebSocketHandler
    let options: WebSocketEndpointOptions
    let completion: @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
}

/// One extended CONNECT stream of an `HTTP2ClientConnection` (RFC 8441 §5):
/// the response being read, then (on `200`) the WebSocket session's channel,
/// or (any other status) the refusal's body. On the connection's loop.
final class HTTP2ClientStream {
    // Confined to the connection's loop thread.
    /// Most bytes of a response's header list or a refusal's body kept (as over HTTP/1.1).
    static let maxResponseBytes = 16 * 1024
    static let maxRefusalBody = 4096

    let id: Int32
    /// The caller, until the response (or the stream's end) answers it.
    var pending: HTTP2OpenRequest?
    /// When the response is due (uptime ns): the handshake timeout.
    let deadline: UInt64
    /// The response's `:status`, once its HEADERS arrived (1xx ones are skipped).
    var status: Int?
    var headers = HTTPHeaders()
    /// Bytes of the response's header list so far (name + value + 32 per field).
    var headerBytes = 0
    /// The body of a refusal, at most `maxRefusalBody` bytes.
    var refusalBody: [UInt8] = []
    /// The WebSocket session's channel, once the server answered `200`.
    var channel: HTTP2StreamChannel?

    init(id: Int32, pending: HTTP2OpenRequest, deadline: UInt64) {
        self.id = id
        self.pending = pending
        self.deadline = deadline
    }

    /// Answers the caller (once).
    func complete(_ result: Result<WebSocketConnection, WebSocketClientError>) {
        guard let pending else { return }
        self.pending = nil
        pending.completion(result)
    }
}
