import CNghttp2

/// One HTTP/2 stream as the ``ByteChannel`` of a WebSocket session
/// (RFC 8441 §5): the stream's DATA frames carry the WebSocket's bytes both
/// ways. Input is fed to the session as it arrives and only then consumed
/// (`nghttp2_session_consume`), so the stream's flow-control window follows
/// what the session takes in. Output is pulled by the stream's data source
/// as far as the peer's windows allow; while the session's queue is empty
/// the source is deferred (`NGHTTP2_ERR_DEFERRED`) and resumed
/// (`nghttp2_session_resume_data`) by ``outputReady()``. A window that stays
/// closed leaves the session's queue to grow until the session's own
/// slow-consumer rule drops the member (1013, then RST_STREAM if it still
/// does not read); the other streams go on. On the connection's loop.
final class HTTP2StreamChannel: ByteChannel, @unchecked Sendable {
    // Confined to the connection's loop thread.
    /// The connection the stream belongs to; nil once the stream is over.
    private weak var connection: (any HTTP2SessionHolder)?
    let streamID: Int32
    /// The WebSocket session; nil once it is told the channel closed.
    var session: WebSocketConnection?
    /// The data source answered `NGHTTP2_ERR_DEFERRED` and waits to be resumed.
    private var deferred = false
    /// The session queues nothing more: END_STREAM follows its last bytes.
    private(set) var finishing = false

    init(connection: any HTTP2SessionHolder, streamID: Int32) {
        self.connection = connection
        self.streamID = streamID
    }

    func outputReady() {
        resume()
        // What nghttp2 could not pull this turn (a closed window never calls the data source)
        // waits: charged to the budget after the connection's send, which `resume` queued first.
        connection?.loop.async { [weak self] in self?.session?.chargeWhatWaits() }
    }

    func finishOutput() {
        finishing = true
        resume()
    }

    /// Resets the stream (RST_STREAM CANCEL, RFC 8441 §5: an abort) and ends the session.
    func abort() {
        if let connection, let session = connection.session {
            _ = nghttp2_submit_rst_stream(session, 0, streamID, NGHTTP2_CANCEL.rawValue)
            connection.wantsToSend()
        }
        closed()
    }

    /// The session is told the channel is gone (once).
    func closed() {
        connection = nil
        guard let session else { return }
        self.session = nil
        session.channelClosed()
    }

    /// The data source: up to `buffer.count` bytes of the session's queue;
    /// END_STREAM (`NGHTTP2_DATA_FLAG_EOF`) once it is finished and empty.
    func read(into buffer: UnsafeMutableRawBufferPointer, flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let session else {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        let count = session.takeOutput(into: buffer)
        if count > 0 { return count }
        if finishing {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            // The output is over: the session is done with this channel (after nghttp2's call returns).
            session.loop.async { [weak self] in self?.closed() }
            return 0
        }
        deferred = true
        return Int(NGHTTP2_ERR_DEFERRED.rawValue)
    }

    /// DATA payload for the session: copied into the loop's scratch (the
    /// session unmasks in place; nghttp2's bytes are read-only), in pieces,
    /// then consumed so the peer may send as much again.
    func deliver(_ bytes: UnsafeRawBufferPointer) {
        guard let connection, let nghttp2 = connection.session else { return }
        let scratch = connection.loop.scratch
        // The second half of the scratch: the first holds the plaintext nghttp2 is reading.
        let room = UnsafeMutableRawBufferPointer(rebasing: scratch[(scratch.count / 2)...])
        var offset = 0
        while offset < bytes.count, let session {
            let count = min(room.count, bytes.count - offset)
            room.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            session.received(UnsafeMutableRawBufferPointer(rebasing: room[..<count]))
            offset += count
        }
        _ = nghttp2_session_consume(nghttp2, streamID, bytes.count)
    }

    /// The peer sent END_STREAM: after our own end (the close handshake is
    /// done) it only completes the stream; before it, the WebSocket is over.
    func inputEnded() {
        guard !finishing else { return }
        session?.inputEnded()
    }

    private func resume() {
        guard let connection, let nghttp2 = connection.session else { return }
        if deferred {
            deferred = false
            _ = nghttp2_session_resume_data(nghttp2, streamID)
        }
        connection.wantsToSend()
    }
}
