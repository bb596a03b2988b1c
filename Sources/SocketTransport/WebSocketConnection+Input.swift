import WebSocketCore

extension WebSocketConnection {
    /// Registers the session's deadlines with its loop, tells the handler the
    /// WebSocket is open, and feeds the bytes that came with the handshake.
    /// On the loop, once the channel holds the session.
    package func start(leftover: [UInt8] = []) {
        let keepAlive = min(pingInterval, idleTimeout)
        loop.register(self, checkAt: lastHeard &+ keepAlive)
        handler?.webSocketDidOpen(self)
        if !leftover.isEmpty, machine != nil {
            var bytes = leftover
            bytes.withUnsafeMutableBytes { received($0) }
        }
    }

    /// Bytes of the WebSocket stream arrived, in order (see ``ByteChannel``):
    /// the peer is heard from; the state machine's actions are carried out.
    package func received(_ bytes: UnsafeMutableRawBufferPointer) {
        guard machine != nil else { return }
        lastHeard = clock()
        pingOutstanding = false
        var actions: [WebSocketStateMachine.Action] = []
        machine?.receive(bytes, into: &actions)
        perform(actions)
    }

    /// The peer will send nothing more: the WebSocket is over (any closing
    /// handshake came before, inside the stream). Aborts the channel.
    package func inputEnded() {
        abort()
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
                closingDeadline = clock() &+ closeTimeout
            case .failed(let violation) where violation == .memoryBudgetExhausted:
                account.budget?.count(.inbound)  // not the peer's fault: counted apart
                logger.debug("message refused: memory budget spent", metadata: ["peer": "\(peer)"])
            case .failed(let violation):
                statistics.protocolViolations.add(1, ordering: .relaxed)
                logger.debug("protocol violation", metadata: ["peer": "\(peer)", "violation": "\(violation)"])
            case .closeConnection(let code):
                notifyClosed(code)
                finishOutput()
            }
        }
    }

    /// Tells the channel that nothing more will be queued (once). A peer that
    /// does not take our last bytes (our Close) within `closeTimeout` is
    /// aborted: once the WebSocket is closed, no idle timeout is left to end it.
    func finishOutput() {
        guard !outputFinishing, let channel else { return }
        outputFinishing = true
        if closingDeadline == 0 { closingDeadline = clock() &+ closeTimeout }
        channel.finishOutput()
    }

    /// Drops the channel now (it calls back `channelClosed()`).
    func abort() {
        notifyClosed(nil)
        channel?.abort()
    }

    /// Tells the handler, once, that the WebSocket is over.
    func notifyClosed(_ code: CloseCode?) {
        guard !closeNotified else { return }
        closeNotified = true
        if let handler {
            self.handler = nil
            handler.webSocketDidClose(self, code: code, reason: machine?.peerCloseReason ?? "")
        }
    }

    /// The channel is closed or done (see ``ByteChannel``): the handler is told
    /// (without a code if the handshake did not complete), the deadlines stop,
    /// and everything buffered for the peer is freed and its reservation given back.
    package func channelClosed() {
        guard channel != nil else { return }
        channel = nil
        notifyClosed(nil)
        loop.unregister(self)
        machine = nil
        outbound = OutboundQueue()
        deflater = nil
        outboundCharged = 0
        account.releaseAll()
    }
}
