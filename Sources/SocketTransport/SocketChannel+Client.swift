import Glibc
import WebSocketCore

/// The client side of the HTTP/1.1 head: a non-blocking connect, the opening
/// handshake (RFC 6455 §4.1), a refusal's status and body.
extension SocketChannel {
    /// Starts a non-blocking `connect(2)`; completion is signalled by writability.
    func startConnect(to address: SocketAddress) {
        let status = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if status == 0 || Glibc.errno == EINPROGRESS || Glibc.errno == EINTR {
            // Often already connected (loopback, a near server): a zero-timeout
            // poll(2) saves registering for writability and a turn of the loop.
            var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if status == 0 || poll(&ready, 1, 0) == 1 {
                connectCompleted()
            } else {
                watchWritability(true)
            }
        } else {
            failClient(.connectFailed(SocketError("connect", errno: Glibc.errno)))
            closeSocket()
        }
    }

    /// The socket became writable: the connect finished, well or not.
    func connectCompleted() {
        let error = Syscall.pendingError(fd)
        guard error == 0, let context = client else {
            failClient(.connectFailed(SocketError("connect", errno: error)))
            closeSocket()
            return
        }
        if tls == nil, context.request.http2 == .priorKnowledge { return startClientHTTP2(input: []) }
        setInterest(.readable)
        phase = .readingResponse
        headParser = HTTPHeadParser(maxHeadLength: configuration.maxHeadLength)
        if let tls {
            client?.awaitsProtocol = context.request.http2 != .off
            startClientHandshake(tls)
            if client?.awaitsProtocol == true { return }  // HTTP/1.1 or h2: ALPN says, at the handshake's end
        }
        sendUpgradeRequest()
    }

    /// Queues the HTTP/1.1 upgrade request (with TLS, encrypted once the handshake is done).
    func sendUpgradeRequest() {
        guard let context = client else { return }
        let request = context.request
        var headers = request.headers
        if let compression = context.options.compression {
            headers.add(name: "Sec-WebSocket-Extensions", value: compression.offerHeader)
        }
        if let offer = Subprotocol.offer(request.subprotocols) { headers.add(name: offer.name, value: offer.value) }
        let head = context.handshake.request(host: request.authority, path: request.path, extraHeaders: headers)
        enqueue(head.serialized())
    }

    /// Client side: bytes of the handshake response.
    func receivedResponseBytes(_ bytes: UnsafeRawBufferPointer) {
        if client?.awaitsProtocol == true, let tls, chooseClientProtocol(tls, input: bytes) { return }
        guard var parser = headParser, let context = client else { return }
        headParser = nil
        do {
            switch try parser.parseResponse(bytes) {
            case .needMoreBytes:
                headParser = parser
            case .complete(let head, let leftover):
                if head.status != 101 {
                    client?.refusal = head
                    phase = .readingRefusal
                    leftover.withUnsafeBytes { receivedRefusalBytes($0) }
                    return
                }
                let compression: PerMessageDeflateAgreement?
                let offered = context.request.subprotocols
                switch context.handshake.verify(head, offering: context.options.compression, subprotocols: offered) {
                case .failure(let failure):
                    failClient(.invalidHandshake(failure.description))
                    closeSocket()
                    return
                case .success(let agreement):
                    compression = agreement
                }
                var options = context.options
                options.subprotocol = try? Subprotocol.chosen(in: head.headers, offered: offered).get()
                client = nil
                statistics.upgradedConnections.add(1, ordering: .relaxed)
                let session = open(
                    role: .client, handler: context.handler, options: options, compression: compression,
                    account: account, leftover: leftover)
                context.complete(.success(session))
            }
        } catch {
            failClient(.invalidHandshake(error.description))
            closeSocket()
        }
    }

    /// Client side: the body of a refused handshake, kept for the user (at most 4 KiB).
    func receivedRefusalBytes(_ bytes: UnsafeRawBufferPointer) {
        guard var context = client else { return }
        context.refusalBody.append(contentsOf: bytes.prefix(4096 - context.refusalBody.count))
        client = context
        let expected = context.refusal?.headers["Content-Length"].flatMap { Int($0) } ?? 4096
        if context.refusalBody.count >= min(expected, 4096) { finishRefusal() }
    }

    /// Reports a refused handshake with its status and body, then closes.
    func finishRefusal() {
        guard let context = client, let refusal = context.refusal else { return closeSocket() }
        let body = String(decoding: context.refusalBody, as: UTF8.self)
        failClient(.refused(status: refusal.status, body: body.trimmingHTTPWhitespace().trimmingNewlines()))
        closeSocket()
    }

    /// Fails a pending client handshake (once).
    func failClient(_ error: WebSocketClientError) {
        guard let context = client else { return }
        client = nil
        context.complete(.failure(error))
    }
}

extension String {
    /// Without trailing CR and LF bytes (by bytes: "\r\n" is one `Character`).
    fileprivate func trimmingNewlines() -> String {
        var bytes = Array(utf8)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
