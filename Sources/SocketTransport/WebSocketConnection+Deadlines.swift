import WebSocketCore

extension WebSocketConnection: DeadlineKeeper {
    /// Closes what has overstayed: an unanswered close, a silent peer. Sends a
    /// keep-alive ping to a quiet one. Returns when the next check is due
    /// (uptime ns). On the loop.
    package func checkDeadlines(now: UInt64) -> UInt64 {
        guard machine != nil else { return .max }
        let quiet = now > lastHeard ? now - lastHeard : 0
        if closingDeadline != 0, now >= closingDeadline {
            abort()  // the peer never answered our close, or never read it
            return .max
        } else if quiet >= idleTimeout {
            statistics.timedOut.add(1, ordering: .relaxed)
            notifyClosed(.goingAway)
            var actions: [WebSocketStateMachine.Action] = []
            machine?.close(code: .goingAway, reason: "idle timeout", into: &actions)
            perform(actions)
        } else if !pingOutstanding, quiet >= pingInterval,
            machine?.canSendMessages == true
        {
            pingOutstanding = true
            sendControl(.ping, [])
        }
        return nextCheck(after: now)
    }

    /// The earliest of the closing deadline, the idle timeout and the next
    /// keep-alive ping (with a ping outstanding: a ping interval from now, in
    /// case its answer moves the next ping sooner).
    private func nextCheck(after now: UInt64) -> UInt64 {
        guard machine != nil else { return .max }
        let idle = lastHeard &+ idleTimeout
        let ping = (pingOutstanding ? now : lastHeard) &+ pingInterval
        return min(idle, ping, closingDeadline == 0 ? .max : closingDeadline)
    }

    /// Server shutdown: a polite 1001.
    package func beginShutdown() {
        close(code: .goingAway, reason: "server shutting down")
    }

    /// The server's grace period is over.
    package func closeNow() {
        abort()
    }
}
