import CNghttp2
import WebSocketCore

/// Requests mapped onto the `HTTPRouter` exactly as over HTTP/1.1, and
/// their answers: a plain response as HEADERS (+ DATA), a WebSocket
/// (extended CONNECT, RFC 8441 §5) as `200` and then the stream's DATA.
extension HTTP2ServerConnection {
    /// The request's header block is complete: refuse it, or ask the router.
    func route(_ stream: HTTP2Stream) {
        stream.state = .routing
        switch stream.request.kind {
        case .refused(let status, let reason, let headers):
            respond(stream, .text(status, reason, headers: headers), refusal: true)
        case .plain(let head):
            stream.answersHead = head.method == "HEAD"
            act(on: router.route(head, from: peer), stream: stream, webSocket: false)
        case .webSocket(let head):
            act(on: router.route(head, from: peer), stream: stream, webSocket: true)
        }
    }

    /// Carries out a route decision for `stream` (which may have been reset meanwhile).
    private func act(on decision: RouteDecision, stream: HTTP2Stream, webSocket: Bool) {
        guard streams[stream.id] === stream, stream.state == .routing else { return }
        switch decision {
        case .deferred(let work):
            work { [self] decision in
                loop.execute { [self] in
                    act(on: decision, stream: stream, webSocket: webSocket)
                    wantsToSend()
                }
            }
        case .respond(let response):
            // A 2xx to an extended CONNECT would open a tunnel (RFC 8441 §5): only `.upgrade` may.
            if webSocket, response.status < 300 {
                return respond(stream, .text(400, "not a WebSocket endpoint"), refusal: true)
            }
            respond(stream, response, refusal: response.status >= 400)
        case .upgrade(let handler, let options):
            guard webSocket else {
                // A plain request to a WebSocket route: what HTTP/1.1 says to a GET without Upgrade.
                return respond(
                    stream, .text(426, "WebSocket endpoint: use extended CONNECT (RFC 8441)"), refusal: true)
            }
            if let budget = link.account.budget, budget.isNearlyExhausted {
                budget.count(.handshake)
                return respond(stream, .text(503, "server busy", headers: ["Retry-After": "5"]), refusal: true)
            }
            openWebSocket(on: stream, handler: handler, options: options)
        }
    }

    /// Sends a plain response on `stream`: HEADERS, then the body as DATA
    /// (none for HEAD, RFC 9110 §9.3.2), then END_STREAM.
    func respond(_ stream: HTTP2Stream, _ response: HTTPResponse, refusal: Bool) {
        guard let session else { return }
        if refusal { statistics.refusedRequests.add(1, ordering: .relaxed) }
        stream.state = .responding
        let body = stream.answersHead ? [] : response.body
        let fields = HTTP2HeaderBlock.fields(
            status: response.status, headers: response.headers, contentLength: response.body.count)
        if !body.isEmpty, link.account.keepCharge(&stream.bodyCharged, for: body.count, step: 4096) {
            stream.body = body
        } else if !body.isEmpty {
            link.account.budget?.count(.outbound)  // no room to hold the body: the status alone
        }
        let result = HTTP2HeaderBlock.withNameValues(fields) { pairs, count in
            guard !stream.body.isEmpty else { return nghttp2_submit_response(session, stream.id, pairs, count, nil) }
            var provider = nghttp2_data_provider(
                source: nghttp2_data_source(ptr: nil), read_callback: HTTP2Callbacks.readBody)
            return nghttp2_submit_response(session, stream.id, pairs, count, &provider)
        }
        if result != 0 { _ = nghttp2_submit_rst_stream(session, 0, stream.id, NGHTTP2_INTERNAL_ERROR.rawValue) }
    }

    /// nghttp2 asks for up to `buffer.count` bytes of stream `id`'s body.
    func readBody(_ id: Int32, into buffer: UnsafeMutableRawBufferPointer, flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let stream = streams[id] else {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        if stream.state == .webSocket { return stream.readWebSocketOutput(into: buffer, flags: flags) }
        let count = max(0, min(buffer.count, stream.body.count - stream.bodyOffset))
        stream.body.withUnsafeBytes { body in
            guard count > 0, let source = body.baseAddress, let target = buffer.baseAddress else { return }
            target.copyMemory(from: source + stream.bodyOffset, byteCount: count)
        }
        stream.bodyOffset += count
        if stream.bodyOffset == stream.body.count {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            stream.body = []
            stream.bodyOffset = 0
            _ = link.account.keepCharge(&stream.bodyCharged, for: 0, step: 4096)
        }
        return count
    }
}
