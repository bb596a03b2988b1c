import Dispatch
import Glibc
import WebSocketCore

/// How far a flush got.
enum FlushState {
    /// Everything queued is on the wire.
    case done
    /// The socket is full: wait for writability.
    case waitingForSocket
    /// TLS cannot encrypt yet (handshake under way): wait for the peer's bytes.
    case waitingForPeer
}

extension SocketChannel: ByteChannel, EndOfTurnWriter {
    /// The session queued bytes: they are written at the end of the loop's turn,
    /// with everything else the turn queues for this peer (one `send(2)`).
    func outputReady() {
        loop.flushAtEndOfTurn(self)
    }

    /// The session is done: a FIN (after TLS close_notify) once its queue is written.
    func finishOutput() {
        closeAfterFlush()
    }

    /// Closes the socket now.
    func abort() {
        closeSocket()
    }

    /// Queues bytes before any session exists (a response, the client's request
    /// head); written at the end of the loop's turn.
    func enqueue(_ bytes: [UInt8]) {
        guard phase != .closed, phase != .lingering, !bytes.isEmpty else { return }
        let wasEmpty = output.isEmpty
        output.append(bytes)
        if wasEmpty { loop.flushAtEndOfTurn(self) }
    }

    /// Whether anything waits to be written (the session's queue once open).
    var hasOutput: Bool { session?.hasOutput ?? !output.isEmpty }

    /// Closes the socket once everything queued is written.
    func closeAfterFlush() {
        closeWhenFlushed = true
        if !hasOutput { startLingering() }
    }

    /// Writes what the socket takes (the session's queue once open, else the
    /// channel's own); waits for writability for the rest.
    package func flush() {
        guard phase != .closed else { return }
        do {
            let state: FlushState
            if let session {
                state = try session.writeOutput { queue in try write(&queue) }
            } else {
                state = try write(&output)
                // A response that waits for the peer is charged to the budget too.
                guard account.keepCharge(&outputCharged, for: output.byteCount, step: 4096) else {
                    account.budget?.count(.outbound)
                    return closeSocket()
                }
            }
            guard phase != .closed else { return }
            switch state {
            case .done:
                watchWritability(false)
                if closeWhenFlushed, !hasOutput { startLingering() }
            case .waitingForSocket:
                watchWritability(true)
            case .waitingForPeer:
                watchWritability(false)  // writable, but nothing may be written until the handshake ends
            }
        } catch {
            logger.debug("write failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
            closeSocket()
        }
    }

    /// Writes `queue` to the socket, through TLS when there is TLS.
    private func write(_ queue: inout OutboundQueue) throws -> FlushState {
        if let tls { return try flushTLS(tls, &queue) }
        return try queue.flush(to: fd) ? .done : .waitingForSocket
    }

    /// Sends our FIN and waits for the peer's, so that our last bytes are not
    /// lost to a reset (a lingering close). The session, if any, is done.
    func startLingering() {
        guard phase != .lingering, phase != .closed else { return }
        if let tls, !tls.closeNotifySent {
            tls.shutdown()  // queue close_notify; the flush comes back here once it is written
            flush()
            return
        }
        phase = .lingering
        Syscall.shutdownWrite(fd)
        detachSession()
        loop.register(self, checkAt: .max)
        deadline = EventLoop.now() + configuration.closeTimeout.nanoseconds
    }

    /// Asks the poller to report (or stop reporting) writability, keeping
    /// input watched if it was.
    func watchWritability(_ wanted: Bool) {
        switch (interest, wanted) {
        case (.none, true): setInterest(.writable)
        case (.readable, true): setInterest(.readableAndWritable)
        case (.writable, false): setInterest(.none)
        case (.readableAndWritable, false): setInterest(.readable)
        default: break
        }
    }

    /// Changes what the poller watches the socket for; closes the socket if
    /// epoll refuses (it cannot be driven any more).
    func setInterest(_ new: PollInterest) {
        guard loop.poller.watch(fd, by: self, from: interest, to: new) || new == .none else {
            let error = SocketError("epoll_ctl", errno: Glibc.errno)
            // `interest` keeps its old value, so the close below takes the socket
            // out of the epoll set (and the poller's table) whatever failed.
            logger.debug("cannot watch socket", metadata: ["peer": "\(peer)", "error": "\(error)"])
            closeSocket()
            return
        }
        interest = new
    }
}

extension SocketChannel: PollWatcher {
    /// What the poller saw on the socket.
    func pollerReported(readable: Bool, writable: Bool) {
        if writable, interest == .writable || interest == .readableAndWritable {
            self.writable()
        }
        if readable, interest == .readable || interest == .readableAndWritable {
            self.readable()
        }
    }

    /// The socket is writable (or, while connecting, the connect finished).
    func writable() {
        if phase == .connecting {
            connectCompleted()
        } else {
            flush()
        }
    }
}
