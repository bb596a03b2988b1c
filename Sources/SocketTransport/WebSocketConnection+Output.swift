import WebSocketCore

extension WebSocketConnection {
    /// Queues bytes. When the queue was empty, the channel is told
    /// (``ByteChannel/outputReady()``): the socket channel writes at the end of
    /// the loop's current turn (after the work queued on it), so whatever this
    /// turn and the blocks already queued produce for the connection (an
    /// acknowledgement and its events, a burst of fan-out, an echo and a close)
    /// leaves in one `send(2)`. A queue past `maxQueuedBytes` drops the peer
    /// as a slow consumer (1013).
    func enqueue(_ bytes: [UInt8]) {
        guard let channel, !outputFinishing, !bytes.isEmpty else { return }
        let wasEmpty = outbound.isEmpty
        outbound.append(bytes)
        if wasEmpty {
            channel.outputReady()
        } else if outbound.byteCount > options.maxQueuedBytes {
            dropSlowConsumer()
        } else if outboundCharged > 0, !chargeOutbound(), !closeFrameQueued {
            outboundOverBudget()
        }
    }

    /// Whether bytes wait to be pulled by the channel.
    package var hasOutput: Bool { !outbound.isEmpty }

    /// Copies up to `buffer.count` queued bytes, in order, into `buffer` and
    /// removes them from the queue; returns how many (0: the queue is empty).
    /// What is left is charged to the memory budget. For channels that copy
    /// (an HTTP/2 stream's data source); see ``ByteChannel``.
    package func takeOutput(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = outbound.read(into: buffer)
        chargeWhatWaits()
        return count
    }

    /// Hands the queue itself to `write` (the socket channel: one `writev(2)`
    /// of its chunks, or TLS encrypting them without a copy), then charges
    /// what is left to the memory budget.
    func writeOutput<Result>(_ write: (inout OutboundQueue) throws -> Result) rethrows -> Result {
        let result = try write(&outbound)
        chargeWhatWaits()
        return result
    }

    /// What is left after a write waits for the peer: it is charged to the
    /// budget, and a refusal drops the peer as a slow consumer (1013). Also
    /// called by a channel that may not pull at all (an HTTP/2 stream whose
    /// window is closed) once its turn's output is taken.
    func chargeWhatWaits() {
        if outboundCharged > 0 || !outbound.isEmpty, !chargeOutbound(), !closeFrameQueued {
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
}
