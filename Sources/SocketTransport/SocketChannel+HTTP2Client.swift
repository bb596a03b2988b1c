/// Where a client connection decides between HTTP/1.1 and HTTP/2: over TLS,
/// ALPN's answer at the end of the handshake (`h2` selected: HTTP/2); over
/// plain TCP, the caller's `HTTP2ClientMode.priorKnowledge` (h2c). HTTP/2
/// takes the socket (and its TLS session) over to an `HTTP2SocketLink` with
/// an `HTTP2ClientConnection`, on which the request becomes the first stream.
extension SocketChannel {
    /// Client, TLS handshake done: true if the socket went to HTTP/2 (with
    /// `input`, plaintext that came with the handshake); otherwise the
    /// HTTP/1.1 upgrade request is queued and false returned.
    func chooseClientProtocol(_ tls: TLSSession, input: UnsafeRawBufferPointer) -> Bool {
        guard client?.awaitsProtocol == true else { return false }
        client?.awaitsProtocol = false
        guard tls.selectedProtocol == "h2" else {
            sendUpgradeRequest()
            return false
        }
        var plaintext = Array(input)
        // Records OpenSSL already holds would wait for a socket event that may never come.
        let scratch = loop.scratch
        while tls.hasBufferedInput, case .data(let count) = tls.read(into: scratch) {
            plaintext.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[..<count]))
        }
        startClientHTTP2(input: plaintext)
        return true
    }

    /// Gives the socket to a new HTTP/2 client connection, opens the pending
    /// request as its first stream, and leaves this channel without closing
    /// the descriptor.
    func startClientHTTP2(input: [UInt8]) {
        guard let context = client else { return }
        let link = HTTP2SocketLink(
            fd: fd, loop: loop, tls: tls, account: BudgetAccount(nil), configuration: configuration)
        link.onFinish = onFinish
        onFinish = nil
        // This channel steps aside: not watched, no deadlines, nothing of its own held.
        setInterest(.none)
        phase = .closed
        headParser = nil
        tls = nil
        client = nil
        output = OutboundQueue()
        loop.unregister(self)
        guard
            let connection = HTTP2ClientConnection(
                link: link, peer: peer, scheme: context.request.tls == nil ? "http" : "https",
                authority: context.request.authority, configuration: configuration, statistics: statistics,
                logger: logger)
        else {
            link.close()
            return context.complete(.failure(.invalidHandshake("HTTP/2 session could not be set up")))
        }
        link.connection = connection
        link.start()
        context.adopt(connection)
        connection.open(
            HTTP2OpenRequest(
                request: context.request, handler: context.handler, options: context.options,
                completion: context.completion))
        if !input.isEmpty { input.withUnsafeBytes { connection.received($0) } }
        link.requestSend()
    }
}
