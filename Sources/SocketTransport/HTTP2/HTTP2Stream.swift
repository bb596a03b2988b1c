/// One stream of an HTTP/2 server connection: the request being decoded,
/// then its plain response being sent (or, for an extended CONNECT, the
/// WebSocket session it carries). On the connection's loop.
final class HTTP2Stream: @unchecked Sendable {
    // Confined to the connection's loop thread (a deferred route decision hops back to it).
    /// Where the stream is in its life.
    enum State: Equatable {
        /// The header block is being decoded.
        case receivingHeaders
        /// Waiting for a deferred route decision.
        case routing
        /// A plain response (or a refusal) is being sent.
        case responding
        /// The WebSocket is open on the stream.
        case webSocket
    }

    /// The stream id (odd: opened by the client).
    let id: Int32
    var state = State.receivingHeaders
    var request = HTTP2Request()
    /// The request is a HEAD: the response goes without its body.
    var answersHead = false
    /// The body of a plain response, and how much of it nghttp2 has taken.
    var body: [UInt8] = []
    var bodyOffset = 0
    /// Bytes of `body` reserved from the memory budget.
    var bodyCharged = 0
    /// The WebSocket session's channel, once the stream carries one.
    var channel: HTTP2StreamChannel?

    init(id: Int32) {
        self.id = id
    }
}
