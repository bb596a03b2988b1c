/// What an HTTP/2 stream's ``HTTP2StreamChannel`` needs of the connection it
/// belongs to, server (`HTTP2ServerConnection`) or client
/// (`HTTP2ClientConnection`): the nghttp2 session, the loop, and a way to
/// have the session's output sent at the end of the turn. On the loop.
protocol HTTP2SessionHolder: AnyObject {
    /// The `nghttp2_session`; nil once the connection is over.
    var session: OpaquePointer? { get }
    /// The connection's event loop (its scratch buffer is used for input).
    var loop: EventLoop { get }
    /// Asks for `nghttp2_session_mem_send` at the end of this turn.
    func wantsToSend()
}

/// What an ``HTTP2SocketLink`` tells the HTTP/2 connection on top of it,
/// server or client. On the loop.
protocol HTTP2LinkOwner: AnyObject {
    /// Plaintext read from the socket.
    func received(_ bytes: UnsafeRawBufferPointer)
    /// Moves what nghttp2 has to send into the link (once per loop turn, before it writes).
    func send()
    /// The link's write queue went over its limit: the peer does not read.
    func linkOverflowed()
    /// The socket is closed: every stream ends.
    func linkClosed()
}

extension HTTP2ServerConnection: HTTP2SessionHolder, HTTP2LinkOwner {}
