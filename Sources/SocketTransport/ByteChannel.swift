/// What carries one WebSocket session's bytes: a TCP socket (`SocketChannel`),
/// TLS over it (the same channel with a `TLSSession`), or one HTTP/2 stream
/// (RFC 8441). The session (`WebSocketConnection`: the RFC 6455 state
/// machine, limits, permessage-deflate, the outbound queue with its
/// slow-consumer rule and budget charge, the close handshake and its timeout,
/// the keep-alive ping and the idle timeout) is written once and runs over any
/// channel; a channel only moves bytes.
///
/// ## The contract, both ways
///
/// Everything below happens on the session's event loop (`session.loop`),
/// one call at a time. A channel carries exactly one session, from the moment
/// it creates it (after its own handshake: the HTTP/1.1 101, or the `200` to
/// an extended CONNECT) until it calls `session.channelClosed()`.
///
/// **Creating the session**: `WebSocketConnection(channel:loop:peer:role:
/// handler:options:compression:account:configuration:statistics:logger:)`
/// with the `BudgetAccount` its peer's buffers are charged to (a socket's own;
/// one per HTTP/2 stream, on the server's budget; zlib contexts already
/// reserved on it when compression was agreed); keep it, then call
/// `session.start(leftover:)`, which registers its deadlines, tells the
/// handler it is open and feeds any bytes that came with the handshake. The
/// session holds its channel strongly until `channelClosed()`, and the
/// channel its session: the cycle ends there.
///
/// **Input, channel → session** (concrete methods of `WebSocketConnection`,
/// no protocol dispatch):
/// - `session.received(bytes)`: bytes of the WebSocket stream, in order, in
///   pieces of any size (a DATA frame's payload, a TLS record's plaintext).
///   The buffer is `UnsafeMutableRawBufferPointer` because masked payloads are
///   unmasked in place: a channel that holds read-only bytes (nghttp2's
///   `on_data_chunk_recv_callback`) copies them into `loop.scratch` first (at
///   most `scratch.count` at a time). The session may call back into the
///   channel from inside (`outputReady`, `finishOutput`, `abort`); it counts
///   the peer as heard from (keep-alive and idle timeout).
///   For fairness, feed at most ``WebSocketConnection/inputPerTurn`` bytes per
///   session per loop turn when the channel can hold the rest back.
/// - `session.inputEnded()`: the peer will send nothing more (TCP FIN, TLS
///   close_notify, h2 END_STREAM). The session answers at once with
///   `abort()`: a WebSocket whose peer stops sending is over (its close
///   handshake, if any, came before, inside the stream).
/// - `session.channelClosed()`: the channel is gone or done (socket closed,
///   read or write error, TLS failure, RST_STREAM from the peer, or the output
///   finished after `finishOutput()`). The session tells its handler (with no
///   close code if the handshake did not complete), stops its deadlines and
///   gives back every byte it reserved from the memory budget. Idempotent;
///   after it, neither side calls the other again.
///
/// **Output, pulled by the channel** when it can write:
/// - `session.hasOutput`: whether bytes wait in the session's queue.
/// - `session.takeOutput(into: buffer) -> Int`: copies up to `buffer.count`
///   queued bytes, in order, into `buffer` and removes them from the queue;
///   returns how many (0 when the queue is empty). This is the h2 data source:
///   nghttp2's `read_callback` asks for up to `length` bytes when the stream's
///   and the connection's windows allow; answer
///   `NGHTTP2_ERR_DEFERRED` when it returns 0 and the output is not finished,
///   and `nghttp2_session_resume_data` when `outputReady()` comes.
/// - `session.writeOutput { queue in ... }` (internal, for the socket channel):
///   hands the `OutboundQueue` itself to the writer, so a plain socket sends
///   its chunks with one `writev(2)` and TLS encrypts them without a copy.
///
/// After each pull the session charges what is still queued to the memory
/// budget (in 4 KiB steps); a refusal drops the session as a slow consumer
/// (close 1013), exactly as a queue over `maxQueuedBytes` does when bytes are
/// queued. So a channel that cannot write (a full socket, a closed h2 window)
/// simply stops pulling: the queue grows, and the session's own rule drops the
/// peer. A channel that may never pull at all (an HTTP/2 stream whose window
/// is closed from the start) has the session charge what waits
/// (`chargeWhatWaits()`) after each turn's send instead. The channel never
/// buffers more than one write's worth of its own.
///
/// **Session → channel** (this protocol; one call through an existential
/// per event, never per byte):
/// - ``outputReady()``: the queue was empty and now holds bytes.
/// - ``finishOutput()``: nothing more will be queued.
/// - ``abort()``: stop now.
///
/// ## Deadlines
///
/// The session registers itself with its loop (`loop.register`, as a
/// ``DeadlineKeeper``) in `start(leftover:)` and unregisters in
/// `channelClosed()`: the close timeout, the keep-alive ping and the idle
/// timeout apply to an HTTP/2 stream exactly as to a TCP connection. A channel
/// keeps its own deadlines (the HTTP/1.1 handshake, the lingering close, an h2
/// connection's settings) by registering itself the same way. Whoever
/// creates channels on a loop calls `loop.startSweeping(every:
/// configuration.timerResolution)` once, so that registered deadlines are
/// checked.
package protocol ByteChannel: AnyObject {
    /// The session's queue was empty and now holds bytes: arrange to pull
    /// them soon. The socket channel pulls at the end of the loop's turn
    /// (`loop.flushAtEndOfTurn`), so that everything a turn queues for one peer
    /// leaves in one `writev(2)`; an h2 stream resumes its deferred data
    /// source (`nghttp2_session_resume_data`) and lets its connection send at
    /// the end of the turn. Must not call back into the session.
    func outputReady()

    /// The session will queue nothing more (its close handshake is done, or
    /// it failed the connection after queueing its Close frame). Keep pulling
    /// until the queue is empty, then end the output direction: TCP sends FIN
    /// (after TLS close_notify) and lingers for the peer's FIN; an h2 stream
    /// sends END_STREAM (the data source's `NGHTTP2_DATA_FLAG_EOF`,
    /// RFC 8441 §5). Then call `session.channelClosed()`. If the queue is
    /// already empty, do it now (it may call `channelClosed()` from inside).
    /// Called at most once.
    func finishOutput()

    /// Close now, dropping whatever is queued: the peer stopped sending, a
    /// deadline passed (the close handshake was not answered in time), or the
    /// server is stopping. TCP closes the socket; an h2 stream sends
    /// RST_STREAM (CANCEL). Then call `session.channelClosed()` (it may be
    /// called from inside this call). May come after ``finishOutput()``.
    func abort()
}
