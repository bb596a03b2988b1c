import CNghttp2

extension HTTP2ClientConnection: DeadlineKeeper {
    /// The server's SETTINGS and each stream's answer are due within the
    /// handshake timeout (`timedOut`); a lingering close the server never
    /// ended is closed. An open WebSocket's own deadlines are its session's.
    func checkDeadlines(now: UInt64) -> UInt64 {
        guard let session else { return .max }
        let linger = link.lingerDeadline
        if linger != 0, now >= linger {
            link.close()
            return .max
        }
        var next = linger != 0 ? linger : UInt64.max
        if readiness == .awaitingSettings {
            guard now < settingsDeadline else {
                let opens = waiting
                waiting = []
                retire()
                opens.forEach { $0.completion(.failure(.timedOut)) }
                link.close()
                return .max
            }
            next = min(next, settingsDeadline)
        }
        for stream in streams.values where stream.pending != nil {
            guard now < stream.deadline else {
                stream.complete(.failure(.timedOut))
                _ = nghttp2_submit_rst_stream(session, 0, stream.id, NGHTTP2_CANCEL.rawValue)
                wantsToSend()
                continue
            }
            next = min(next, stream.deadline)
        }
        return next
    }

    /// The client's loop is stopping: GOAWAY, then the socket closes.
    func beginShutdown() {
        guard let session else { return }
        retire()
        _ = nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue)
        wantsToSend()
    }

    /// Closes now.
    func closeNow() {
        link.close()
    }
}
