/// Something on an event loop with deadlines the loop's sweep checks: a
/// socket channel (handshake, lingering close) or a WebSocket session (close
/// timeout, keep-alive ping, idle timeout). Registered with
/// `EventLoop.register(_:checkAt:)`; all calls come on the loop.
package protocol DeadlineKeeper: AnyObject {
    /// Acts on what is due at `now` (uptime ns) and returns when the next
    /// check is due (`.max`: none).
    func checkDeadlines(now: UInt64) -> UInt64
    /// The server is stopping: a polite close (1001 for an open WebSocket),
    /// or an immediate one where nothing polite is possible.
    func beginShutdown()
    /// The server's grace period is over: close now.
    func closeNow()
}

/// Something on an event loop that writes what a turn queued for it at the
/// end of the turn (`EventLoop.flushAtEndOfTurn(_:)`), so a turn's output for
/// one peer leaves in one system call.
package protocol EndOfTurnWriter: AnyObject {
    /// Writes what is queued, as far as the peer takes it.
    func flush()
}
