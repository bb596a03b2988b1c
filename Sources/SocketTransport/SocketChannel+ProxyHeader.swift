/// What a connection from a trusted proxy reads before anything else: the PROXY
/// protocol v2 header (``ProxyHeaderParser``), in clear before TLS and HTTP.
/// Once it is read, the client address it carries becomes the channel's `peer`
/// and goes through the per-address limits; the bytes after it go on to TLS or
/// the HTTP reader as a direct connection's first bytes would. The handshake
/// deadline, started at accept, covers the header too.
struct ProxyHeaderReader {
    /// The header so far.
    var parser = ProxyHeaderParser()
    /// Applies the per-address limits to the client address; nil when admitted
    /// (it then counts against that address until the connection finishes).
    let admit: (SocketAddress) -> AddressRefusal?
}

/// A connection refused by the per-address limits: the reason given in the 503
/// and how long the client should wait.
struct AddressRefusal: Sendable, Hashable {
    let reason: String
    let retryAfterSeconds: Int
}

extension SocketChannel {
    /// Bytes from a trusted proxy while its header is incomplete.
    func receivedProxyHeaderBytes(_ bytes: UnsafeMutableRawBufferPointer) {
        guard var reader = proxyHeader else { return }
        proxyHeader = nil
        let outcome: ProxyHeaderParser.Outcome
        do {
            outcome = try reader.parser.parse(UnsafeRawBufferPointer(bytes))
        } catch {
            return failProxyHeader(error.description)
        }
        switch outcome {
        case .needMoreBytes:
            proxyHeader = reader
            guard chargeHandshake(holding: reader.parser.bufferedCount) else {
                account.budget?.count(.handshake)
                return closeSocket()
            }
        case .complete(let header, let leftover):
            chargeHandshake(holding: 0)
            statistics.proxyHeadersAccepted.add(1, ordering: .relaxed)
            peer = header.client ?? socketPeer
            logger.trace("proxied connection", metadata: ["peer": "\(peer)", "proxy": "\(socketPeer)"])
            if let refusal = reader.admit(peer) { return refuseAddress(refusal) }
            phase = .readingRequest
            guard !leftover.isEmpty else { return }
            var input = leftover
            input.withUnsafeMutableBytes { bytes in
                if let tls {
                    receivedCiphertext(tls, bytes)
                } else {
                    received(bytes)
                }
            }
        }
    }

    /// A trusted proxy's connection without a valid header: counted, logged
    /// (the proxy's address and why; no byte of the input), closed.
    func failProxyHeader(_ reason: String) {
        statistics.proxyHeaderFailures.add(1, ordering: .relaxed)
        logger.info("invalid PROXY protocol header", metadata: ["proxy": "\(socketPeer)", "reason": "\(reason)"])
        proxyHeader = nil
        closeSocket()
    }

    /// The client's address is over its limits: 503 in plain HTTP (through the
    /// proxy, to the client), or a close where the client expects TLS.
    private func refuseAddress(_ refusal: AddressRefusal) {
        phase = .readingRequest
        headParser = nil  // the request that follows is not read: one answer, then the close
        guard tls == nil else { return closeSocket() }
        respond(
            HTTPResponse.text(503, refusal.reason, headers: ["Retry-After": "\(refusal.retryAfterSeconds)"]))
    }
}
