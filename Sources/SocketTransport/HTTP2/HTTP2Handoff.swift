/// Where a server connection decides between HTTP/1.1 and HTTP/2: the first
/// bytes of a request. A client that speaks HTTP/2 starts with the 24-byte
/// preface (RFC 9113 §3.4), over TLS after ALPN chose `h2` and in cleartext
/// with prior knowledge (h2c, §3.3). When HTTP/2 is allowed here, the socket
/// is handed to an `HTTP2ServerConnection`; otherwise the bytes go on to the
/// HTTP/1.1 reader (which refuses the preface's `PRI` line).
extension SocketChannel {
    /// The client connection preface (RFC 9113 §3.4).
    static let http2Preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// Server, reading the request: true if `bytes` were taken for HTTP/2
    /// (the preface, or the start of it, which is held until it is whole).
    /// Called before the HTTP/1.1 head parser sees the bytes.
    func handOverToHTTP2(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard mayHandOverToHTTP2, let router else { return false }
        let held = pendingInput.count
        let preface = Self.http2Preface
        // Compare what arrived so far (held + new) with the preface, up to its length.
        let compared = min(preface.count - held, bytes.count)
        guard held < preface.count, bytes.prefix(compared).elementsEqual(preface[held..<held + compared]) else {
            return false
        }
        guard held + bytes.count >= preface.count else {
            pendingInput.append(contentsOf: bytes)  // at most 23 bytes, held only until the preface is whole
            return true
        }
        let input = pendingInput + Array(bytes)
        pendingInput = []
        startHTTP2(router: router, input: input)
        return true
    }

    /// Whether this connection may become HTTP/2: nothing of an HTTP/1.1 head
    /// read yet, HTTP/2 on, and over cleartext only where `http2.cleartext` allows.
    private var mayHandOverToHTTP2: Bool {
        guard phase == .readingRequest, headParser?.bufferedCount == 0, configuration.http2.enabled else {
            return false
        }
        guard tls == nil else { return true }
        switch configuration.http2.cleartext {
        case .allowed: return true
        case .loopback: return socketPeer.isLoopback  // the link itself, not a proxied client
        case .off: return false
        }
    }

    /// Gives the socket (and its TLS session) to a new HTTP/2 connection and
    /// leaves this channel without closing the descriptor.
    private func startHTTP2(router: any HTTPRouter, input: [UInt8]) {
        let link = HTTP2SocketLink(
            fd: fd, loop: loop, tls: tls, account: BudgetAccount(account.budget), configuration: configuration)
        link.onFinish = onFinish
        onFinish = nil
        // This channel steps aside: not watched, no deadlines, nothing of its own held.
        setInterest(.none)
        phase = .closed
        headParser = nil
        tls = nil
        loop.unregister(self)
        chargeHandshake(holding: 0)
        account.releaseAll()
        guard
            let connection = HTTP2ServerConnection(
                link: link, peer: peer, router: router, configuration: configuration, statistics: statistics,
                logger: logger)
        else {
            statistics.http2.count(.memoryBudget)
            return link.close()
        }
        link.connection = connection
        link.start()
        input.withUnsafeBytes { connection.received($0) }
        if link.tls?.hasBufferedInput == true {
            // Later records of the same read, still in the TLS session (after this read is handled).
            loop.async { link.readBufferedPlaintext() }
        }
        link.requestSend()
    }
}
