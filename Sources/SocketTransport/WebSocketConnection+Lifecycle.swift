import Dispatch
import WebSocketCore

extension WebSocketConnection: DeadlineKeeper {
    /// Tells the handler, once, that the WebSocket is over.
    func notifyClosed(_ code: CloseCode?) {
        guard !closeNotified else { return }
        closeNotified = true
        if let handler {
            self.handler = nil
            handler.webSocketDidClose(self, code: code, reason: machine?.peerCloseReason ?? "")
        }
    }

    /// Closes the socket once everything queued is written.
    func closeAfterFlush() {
        closeWhenFlushed = true
        if outbound.isEmpty { startLingering() }
    }

    /// Sends our FIN and waits for the peer's, so that our last bytes are not
    /// lost to a reset (a lingering close).
    func startLingering() {
        guard phase != .lingering, phase != .closed else { return }
        if let tls, !tls.closeNotifySent {
            tls.shutdown()  // queue close_notify; the flush comes back here once it is written
            flush()
            return
        }
        phase = .lingering
        Syscall.shutdownWrite(fd)
        deadline = DispatchTime.now().uptimeNanoseconds + configuration.closeTimeout.nanoseconds
    }

    /// The server's grace period is over.
    package func closeNow() { closeSocket() }

    /// Closes the socket now: stops watching it; the descriptor is closed at the end of the turn.
    func closeSocket() {
        guard phase != .closed else { return }
        phase = .closed
        notifyClosed(nil)
        if let client {
            self.client = nil
            client.complete(.failure(.closedDuringHandshake))
        }
        setInterest(.none)
        // The descriptor is closed after this turn: an event already read for it
        // in the poller's current batch then finds no watcher instead of a new
        // socket that reused its number.
        loop.async { [self] in finish() }
    }

    private func finish() {
        Syscall.close(fd)
        loop.unregister(self)
        // Everything buffered for the peer is freed now, and its reservation given back.
        machine = nil
        outbound = OutboundQueue()
        deflater = nil
        outboundCharged = 0
        handshakeCharged = 0
        account.releaseAll()
        let onFinish = self.onFinish
        self.onFinish = nil
        onFinish?()
    }

    /// Closes what has overstayed its phase: a stalled handshake, an unanswered
    /// close, a silent peer. Sends a keep-alive ping to a quiet one. Returns
    /// when the next check is due (uptime ns). On the loop.
    package func checkDeadlines(now: UInt64) -> UInt64 {
        switch phase {
        case .connecting, .readingRequest, .routing, .readingResponse, .readingRefusal, .lingering:
            if now >= deadline {
                if phase != .lingering { statistics.timedOut.add(1, ordering: .relaxed) }
                if client != nil { failClient(.timedOut) }
                closeSocket()
            }
        case .open:
            checkOpenDeadlines(now: now)
        case .closed:
            break
        }
        return nextCheck(after: now)
    }

    /// The earliest of the current phase's deadline, the idle timeout and the
    /// next keep-alive ping (with a ping outstanding: a ping interval from now,
    /// in case its answer moves the next ping sooner).
    private func nextCheck(after now: UInt64) -> UInt64 {
        switch phase {
        case .open:
            let idle = lastHeard &+ configuration.idleTimeout.nanoseconds
            let ping = (pingOutstanding ? now : lastHeard) &+ configuration.pingInterval.nanoseconds
            return min(idle, ping, deadline == 0 ? .max : deadline)
        case .closed:
            return .max
        case .connecting, .readingRequest, .routing, .readingResponse, .readingRefusal, .lingering:
            return deadline
        }
    }

    private func checkOpenDeadlines(now: UInt64) {
        if deadline != 0, now >= deadline {
            closeSocket()  // the peer never answered our close
        } else if now - lastHeard >= configuration.idleTimeout.nanoseconds {
            statistics.timedOut.add(1, ordering: .relaxed)
            notifyClosed(.goingAway)
            var actions: [WebSocketStateMachine.Action] = []
            machine?.close(code: .goingAway, reason: "idle timeout", into: &actions)
            perform(actions)
        } else if !pingOutstanding, now - lastHeard >= configuration.pingInterval.nanoseconds,
            machine?.canSendMessages == true
        {
            pingOutstanding = true
            sendControl(.ping, [])
        }
    }

    /// Server shutdown: a polite 1001 to open WebSockets, a plain close otherwise.
    package func beginShutdown() {
        switch phase {
        case .open:
            close(code: .goingAway, reason: "server shutting down")
        case .lingering, .closed:
            break
        default:
            closeSocket()
        }
    }
}
