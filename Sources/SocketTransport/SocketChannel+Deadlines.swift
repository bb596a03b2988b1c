extension SocketChannel: DeadlineKeeper {
    /// Closes a connection that has overstayed its phase: a stalled handshake,
    /// a lingering close the peer never ends. Returns when the next check is
    /// due (uptime ns). Once the WebSocket is open the deadlines are its
    /// session's: the channel leaves the loop's watch until it lingers.
    func checkDeadlines(now: UInt64) -> UInt64 {
        switch phase {
        case .connecting, .readingProxyHeader, .readingRequest, .routing, .readingResponse, .readingRefusal,
            .lingering:
            guard now >= deadline else { return deadline }
            if phase != .lingering { statistics.timedOut.add(1, ordering: .relaxed) }
            if client != nil { failClient(.timedOut) }
            if phase == .readingProxyHeader { failProxyHeader("no complete header within the handshake timeout") }
            closeSocket()
            return .max
        case .open:
            loop.unregister(self)
            return .max
        case .closed:
            return .max
        }
    }

    /// Server shutdown: an open WebSocket's session says 1001 (it is watched
    /// by the loop too); a connection still in its handshake is closed.
    func beginShutdown() {
        switch phase {
        case .open, .lingering, .closed:
            break
        case .connecting, .readingProxyHeader, .readingRequest, .routing, .readingResponse, .readingRefusal:
            closeSocket()
        }
    }

    /// The server's grace period is over.
    func closeNow() {
        closeSocket()
    }
}
