import Dispatch
import WebSocketCore

extension SocketChannel {
    /// TLS: ciphertext arrived. Decrypts all that is available and routes the
    /// plaintext as `received` does for a plain socket; sends whatever OpenSSL
    /// wants to say back (handshake records, alerts, session tickets).
    func receivedCiphertext(_ tls: TLSSession, _ bytes: UnsafeMutableRawBufferPointer) {
        guard tls.feed(UnsafeRawBufferPointer(bytes)) else {
            return failTLS(tls, TLSError.setupFailed.detailed("BIO_write failed"))
        }
        let wasDone = tls.handshakeDone
        // The ciphertext is copied into the BIO, so the scratch buffer is free for plaintext.
        let scratch = loop.scratch
        reading: while phase != .closed {
            switch tls.read(into: scratch) {
            case .data(let count):
                received(UnsafeMutableRawBufferPointer(rebasing: scratch[..<count]))
                if !tls.hasBufferedInput { break reading }  // spares an SSL_read that would only say WANT_READ
            case .needMoreInput:
                break reading
            case .closed:
                peerClosedStream()
                return
            case .failed(let error):
                return failTLS(tls, error)
            }
        }
        if !wasDone, tls.handshakeDone {
            statistics.tlsHandshakesCompleted.add(1, ordering: .relaxed)
            // Client: ALPN's answer decides between the HTTP/1.1 upgrade and HTTP/2.
            let nothing = UnsafeRawBufferPointer(start: nil, count: 0)
            if client?.awaitsProtocol == true, chooseClientProtocol(tls, input: nothing) { return }
        }
        if phase != .closed { flush() }
    }

    /// TLS: encrypts what is queued and writes the ciphertext, as far as the socket takes it.
    func flushTLS(_ tls: TLSSession, _ queue: inout OutboundQueue) throws -> FlushState {
        guard try tls.writePending(to: fd) else { return .waitingForSocket }
        if !queue.isEmpty {
            guard tls.handshakeDone else { return .waitingForPeer }
            _ = try queue.flush { bytes throws in
                guard try tls.writePending(to: fd) else { return 0 }
                return try tls.encrypt(bytes)
            }
        }
        guard try tls.writePending(to: fd) else { return .waitingForSocket }
        return queue.isEmpty ? .done : .waitingForPeer
    }

    /// TLS failed (handshake or records): counted, logged at debug without any
    /// payload, the alert OpenSSL made sent best-effort, and the socket closed.
    func failTLS(_ tls: TLSSession, _ error: TLSError) {
        if !tls.handshakeDone { statistics.tlsHandshakeFailures.add(1, ordering: .relaxed) }
        logger.debug("tls failed", metadata: ["peer": "\(peer)", "reason": "\(error)"])
        _ = try? tls.writePending(to: fd)
        failClient(.tls(error))
        closeSocket()
    }

    /// Client: the TCP connection is up; sends the ClientHello.
    func startClientHandshake(_ tls: TLSSession) {
        if let error = tls.startHandshake() { return failTLS(tls, error) }
        flush()
    }
}
