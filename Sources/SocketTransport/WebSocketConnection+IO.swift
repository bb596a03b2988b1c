import Dispatch
import Glibc
import WebSocketCore

extension WebSocketConnection: PollWatcher, EndOfTurnWriter {
    /// The most input one connection may bring into one turn of its loop (one
    /// read of at most this many bytes). A peer that floods cheap frames (pings,
    /// empty fragments) then costs its loop at most this much parsing before every
    /// other ready connection on the loop has had its turn; the rest waits in the
    /// kernel and the poller (level-triggered) reports it again next turn. 8 KiB
    /// is a chat message many times over; a 64 KiB command takes eight turns.
    public static let inputPerTurn = 8 * 1024

    /// The socket has input: one bounded read (``inputPerTurn``), for fairness.
    func readable() {
        guard phase != .closed else { return }
        let scratch = loop.scratch
        let buffer = UnsafeMutableRawBufferPointer(rebasing: scratch[..<min(scratch.count, Self.inputPerTurn)])
        let count: Int?
        do {
            count = try Syscall.read(fd, into: buffer)
        } catch {
            logger.debug("read failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
            closeSocket()
            return
        }
        guard let count else { return }  // would block
        guard count > 0 else {
            peerClosedStream()
            return
        }
        lastHeard = DispatchTime.now().uptimeNanoseconds
        pingOutstanding = false
        let bytes = UnsafeMutableRawBufferPointer(rebasing: buffer[..<count])
        if let tls {
            receivedCiphertext(tls, bytes)
        } else {
            received(bytes)
        }
    }

    /// Routes bytes to whatever the current phase reads.
    func received(_ bytes: UnsafeMutableRawBufferPointer) {
        switch phase {
        case .readingRequest: receivedRequestBytes(UnsafeRawBufferPointer(bytes))
        case .readingResponse: receivedResponseBytes(UnsafeRawBufferPointer(bytes))
        case .readingRefusal: receivedRefusalBytes(UnsafeRawBufferPointer(bytes))
        case .routing: keepWhileRouting(UnsafeRawBufferPointer(bytes))
        case .open: receivedFrameBytes(bytes)
        case .connecting, .lingering, .closed: break  // discarded
        }
    }

    /// Keeps what arrives while the route is being decided (a client should wait
    /// for the 101, RFC 6455 §4.1, but a frame sent early is not lost), up to the
    /// head-size limit; a peer that sends more is not a WebSocket client and is closed.
    func keepWhileRouting(_ bytes: UnsafeRawBufferPointer) {
        guard pendingInput.count + bytes.count <= configuration.maxHeadLength else {
            statistics.protocolViolations.add(1, ordering: .relaxed)
            logger.debug("input while routing over the limit", metadata: ["peer": "\(peer)"])
            closeSocket()
            return
        }
        pendingInput.append(contentsOf: bytes)
        if !chargeHandshake(holding: pendingInput.count) { refuseOverBudget() }
    }

    /// Feeds WebSocket bytes to the state machine and carries out its actions.
    func receivedFrameBytes(_ bytes: UnsafeMutableRawBufferPointer) {
        var actions: [WebSocketStateMachine.Action] = []
        machine?.receive(bytes, into: &actions)
        perform(actions)
    }

    /// Carries out the state machine's actions, in order.
    func perform(_ actions: [WebSocketStateMachine.Action]) {
        for action in actions {
            switch action {
            case .deliver(let message):
                handler?.webSocket(self, didReceive: message)
            case .sendControlFrame(let opcode, let payload):
                if opcode == .close { closeFrameQueued = true }
                sendControl(opcode, payload)
            case .startClosingTimer:
                deadline = DispatchTime.now().uptimeNanoseconds + configuration.closeTimeout.nanoseconds
            case .failed(let violation) where violation == .memoryBudgetExhausted:
                account.budget?.count(.inbound)  // not the peer's fault: counted apart
                logger.debug("message refused: memory budget spent", metadata: ["peer": "\(peer)"])
            case .failed(let violation):
                statistics.protocolViolations.add(1, ordering: .relaxed)
                logger.debug("protocol violation", metadata: ["peer": "\(peer)", "violation": "\(violation)"])
            case .closeConnection(let code):
                notifyClosed(code)
                closeAfterFlush()
            }
        }
    }

    /// The peer closed its side of the stream.
    func peerClosedStream() {
        if phase == .readingRefusal {
            finishRefusal()
            return
        }
        if phase == .connecting || phase == .readingResponse {
            failClient(.closedDuringHandshake)
        }
        closeSocket()
    }

    // MARK: Writing

    /// Queues bytes. When the queue was empty, the write happens at the end of the
    /// loop's current turn (after the work queued on it), so whatever this turn and
    /// the blocks already queued produce for the connection (an acknowledgement and
    /// its events, a burst of fan-out, an echo and a close) leaves in one `send(2)`.
    func enqueue(_ bytes: [UInt8]) {
        guard phase != .closed, phase != .lingering else { return }
        let wasEmpty = outbound.isEmpty
        outbound.append(bytes)
        if wasEmpty {
            loop.flushAtEndOfTurn(self)
        } else if phase == .open, outbound.byteCount > options.maxQueuedBytes {
            dropSlowConsumer()
        } else if outboundCharged > 0, !chargeOutbound(), !closeFrameQueued {
            outboundOverBudget()
        }
    }

    /// Keeps the budget's charge for the outbound queue at what it holds,
    /// rounded up to `outboundChargeStep` (so a waiting queue reserves again
    /// only every few frames). Returns false if the budget refused to grow it.
    @discardableResult
    func chargeOutbound() -> Bool {
        account.keepCharge(&outboundCharged, for: outbound.byteCount, step: Self.outboundChargeStep)
    }

    /// The outbound queue could not grow within the memory budget: counted,
    /// and the connection closed as a slow consumer (1013).
    func outboundOverBudget() {
        account.budget?.count(.outbound)
        dropSlowConsumer()
    }

    /// Writes what the socket takes; waits for writability for the rest.
    package func flush() {
        guard phase != .closed else { return }
        do {
            let state: FlushState
            if let tls {
                state = try flushTLS(tls)
            } else {
                state = try outbound.flush(to: fd) ? .done : .waitingForSocket
            }
            // What is left waits for the socket or the peer: it is charged to the budget.
            if (outboundCharged > 0 || !outbound.isEmpty), !chargeOutbound(), !closeFrameQueued {
                outboundOverBudget()
                if phase == .closed { return }
            }
            switch state {
            case .done:
                watchWritability(false)
                if closeWhenFlushed { startLingering() }
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

    /// The peer reads too slowly: forget what it has not started to receive,
    /// tell it why (1013), and close it if it does not answer in time.
    func dropSlowConsumer() {
        statistics.slowConsumersDropped.add(1, ordering: .relaxed)
        logger.info("dropping slow consumer", metadata: ["peer": "\(peer)", "queued": "\(outbound.byteCount)"])
        outbound.dropUnstarted()
        chargeOutbound()  // gives back what was dropped
        notifyClosed(.tryAgainLater)
        var actions: [WebSocketStateMachine.Action] = []
        machine?.close(code: .tryAgainLater, reason: "slow consumer", into: &actions)
        perform(actions)
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
