import CNghttp2
import WebSocketCore

/// The extended CONNECT streams of a client connection (RFC 8441 §4–5):
/// the request sent, the response read, then `200` → a client WebSocket
/// session (masked frames, as §5 keeps RFC 6455's framing) over the
/// stream's `HTTP2StreamChannel`, any other status → the same refusal
/// (`WebSocketClientError.refused`, status and body) as over HTTP/1.1.
extension HTTP2ClientConnection {
    /// Fields HTTP/2 does not carry (RFC 9113 §8.2.2), or that the request's pseudo-headers replace.
    private static let notForwarded: Set<String> = [
        "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
        "sec-websocket-key", "sec-websocket-version",
    ]

    /// Sends the extended CONNECT for `open`: `:method CONNECT`, `:protocol
    /// websocket`, `:scheme`, `:authority`, `:path`, `sec-websocket-version:
    /// 13`, the caller's headers (the token's `authorization` among them,
    /// as over HTTP/1.1) and, if offered, `sec-websocket-extensions`.
    func submit(_ open: HTTP2OpenRequest) {
        guard let session else { return open.completion(.failure(.closedDuringHandshake)) }
        var fields = [
            (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", scheme), (":authority", authority),
            (":path", open.request.path), ("sec-websocket-version", ServerHandshake.version),
        ]
        for field in open.request.headers where !Self.notForwarded.contains(field.name.lowercased()) {
            fields.append((field.name.lowercased(), field.value))
        }
        if let compression = open.options.compression {
            fields.append(("sec-websocket-extensions", compression.offerHeader))
        }
        if let offer = Subprotocol.offer(open.request.subprotocols) {
            fields.append((offer.name.lowercased(), offer.value))
        }
        let id = HTTP2HeaderBlock.withNameValues(fields) { pairs, count in
            var provider = nghttp2_data_provider(
                source: nghttp2_data_source(ptr: nil), read_callback: HTTP2ClientCallbacks.readBody)
            return nghttp2_submit_request(session, nil, pairs, count, &provider, nil)
        }
        guard id > 0 else {
            return open.completion(.failure(.invalidHandshake("HTTP/2 request not sent (nghttp2 error \(id))")))
        }
        let deadline = EventLoop.now() &+ configuration.handshakeTimeout.nanoseconds
        streams[id] = HTTP2ClientStream(id: id, pending: open, deadline: deadline)
        statistics.http2.streams.add(1, ordering: .relaxed)
        loop.check(self, noLaterThan: deadline)
        wantsToSend()
    }

    /// One decoded response field; false resets the stream (a header list
    /// over `HTTP2ClientStream.maxResponseBytes`).
    func header(_ id: Int32, name: String, value: String) -> Bool {
        guard let stream = streams[id], stream.pending != nil else { return true }  // trailers: ignored
        stream.headerBytes += name.utf8.count + value.utf8.count + 32
        guard stream.headerBytes <= HTTP2ClientStream.maxResponseBytes else {
            stream.complete(.failure(.invalidHandshake("response header list too large")))
            return false
        }
        if name == ":status" {
            stream.status = Int(value)
            stream.headers = HTTPHeaders()
        } else if !name.hasPrefix(":") {
            stream.headers.add(name: name, value: value)
        }
        return true
    }

    /// A whole frame arrived: the server's SETTINGS, a response's HEADERS,
    /// END_STREAM, GOAWAY.
    func frameReceived(_ frame: nghttp2_frame) {
        let id = frame.hd.stream_id
        let endStream = frame.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0
        switch Int(frame.hd.type) {
        case Int(NGHTTP2_SETTINGS.rawValue):
            if frame.hd.flags & UInt8(NGHTTP2_FLAG_ACK.rawValue) == 0 { settingsReceived() }
        case Int(NGHTTP2_HEADERS.rawValue):
            if let stream = streams[id], stream.pending != nil { responseReceived(stream, endStream: endStream) }
        case Int(NGHTTP2_GOAWAY.rawValue):
            // Streams above its last id are closed by nghttp2 (and retried by their callers).
            retire()
        default:
            break
        }
        guard endStream, let stream = streams[id] else { return }
        if let channel = stream.channel {
            channel.inputEnded()
        } else if let status = stream.status {
            refuse(stream, status: status)
        }
    }

    /// A response's header block is complete: `200` opens the WebSocket,
    /// 1xx is skipped, anything else is a refusal whose body follows.
    private func responseReceived(_ stream: HTTP2ClientStream, endStream: Bool) {
        guard let status = stream.status, status >= 200 else {
            stream.status = nil
            return
        }
        guard status == 200 else { return }  // the refusal's body comes as DATA, up to END_STREAM
        guard let session, let open = stream.pending else { return }
        let compression: PerMessageDeflateAgreement?
        let extensions = stream.headers.values("Sec-WebSocket-Extensions")
        switch open.options.compression?.validate(response: extensions) {
        case .some(.failure(let failure)):
            return reset(stream, .invalidHandshake(failure.description))
        case .some(.success(let agreement)):
            compression = agreement
        case .none:
            guard extensions.isEmpty else { return reset(stream, .invalidHandshake("unoffered extension")) }
            compression = nil
        }
        var options = open.options
        switch Subprotocol.chosen(in: stream.headers, offered: open.request.subprotocols) {
        case .failure(let failure): return reset(stream, .invalidHandshake(failure.description))
        case .success(let chosen): options.subprotocol = chosen
        }
        let channel = HTTP2StreamChannel(connection: self, streamID: stream.id)
        stream.channel = channel
        stream.pending = nil
        statistics.upgradedConnections.add(1, ordering: .relaxed)
        statistics.http2.webSocketStreams.add(1, ordering: .relaxed)
        let webSocket = WebSocketConnection(
            channel: channel, loop: loop, peer: peer, role: .client, handler: open.handler, options: options,
            compression: compression, account: BudgetAccount(nil), configuration: configuration,
            statistics: statistics, logger: logger)
        channel.session = webSocket
        webSocket.start()
        open.completion(.success(webSocket))  // after `start`, as over HTTP/1.1
        // The data source may have been asked (and deferred) before the answer.
        _ = nghttp2_session_resume_data(session, stream.id)
        wantsToSend()
    }

    /// Gives up on `stream`'s handshake: the caller gets `error`, the server RST_STREAM CANCEL.
    private func reset(_ stream: HTTP2ClientStream, _ error: WebSocketClientError) {
        stream.complete(.failure(error))
        if let session { _ = nghttp2_submit_rst_stream(session, 0, stream.id, NGHTTP2_CANCEL.rawValue) }
        wantsToSend()
    }

    /// A refusal is complete: its status and body, as over HTTP/1.1.
    private func refuse(_ stream: HTTP2ClientStream, status: Int) {
        let body = String(decoding: stream.refusalBody, as: UTF8.self)
        stream.complete(.failure(.refused(status: status, body: body.trimmingRefusalBody())))
    }

    /// DATA on stream `id`: the WebSocket's bytes, or a refusal's body (kept
    /// up to 4 KiB); consumed either way, which reopens the windows.
    func dataReceived(_ id: Int32, _ bytes: UnsafeRawBufferPointer) {
        guard let session, bytes.count > 0 else { return }
        guard let stream = streams[id] else { return _ = nghttp2_session_consume(session, id, bytes.count) }
        if let channel = stream.channel { return channel.deliver(bytes) }
        if stream.pending != nil, stream.status != nil {
            stream.refusalBody.append(
                contentsOf: bytes.prefix(HTTP2ClientStream.maxRefusalBody - stream.refusalBody.count))
        }
        _ = nghttp2_session_consume(session, id, bytes.count)
    }

    /// Stream `id` is closed (both ends, or reset by either side).
    func streamClosed(_ id: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: id) else { return }
        if let status = stream.status, status != 200 { refuse(stream, status: status) }
        stream.end()
        closeIfIdle()
    }

    /// nghttp2 asks for the WebSocket's next bytes on stream `id`.
    func readBody(_ id: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let stream = streams[id] else {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        guard let channel = stream.channel else { return Int(NGHTTP2_ERR_DEFERRED.rawValue) }
        return channel.read(into: buffer, flags: flags)
    }
}

extension HTTP2ClientStream {
    /// The stream is over: a caller still waiting learns the server went
    /// before answering; an open WebSocket's session is told its channel closed.
    func end() {
        complete(.failure(.closedDuringHandshake))
        channel?.closed()
        channel = nil
    }
}

extension String {
    /// A refusal's body as `WebSocketClient` reports it over HTTP/1.1: without
    /// surrounding HTTP whitespace and trailing CR and LF bytes.
    fileprivate func trimmingRefusalBody() -> String {
        var bytes = Array(trimmingHTTPWhitespace().utf8)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
