import CNghttp2
import WebSocketCore

/// Extended CONNECT accepted (RFC 8441 §5): `200`, then a WebSocket session
/// over the stream (`HTTP2StreamChannel`).
extension HTTP2ServerConnection {
    /// Answers `200` (no Sec-WebSocket-Accept over HTTP/2), agreeing on
    /// permessage-deflate when the endpoint allows it and the client offered
    /// it (`sec-websocket-extensions`, as over HTTP/1.1), and opens the session.
    func openWebSocket(on stream: HTTP2Stream, handler: any WebSocketHandler, options: WebSocketEndpointOptions) {
        guard let session else { return }
        var headers = options.responseHeaders
        if let subprotocol = options.subprotocol { headers.add(name: Subprotocol.fieldName, value: subprotocol) }
        var negotiated = options.compression?.negotiate(
            offers: stream.request.headers.values("Sec-WebSocket-Extensions"))
        let account = BudgetAccount(link.account.budget)
        if let agreement = negotiated?.agreement, !account.reserve(zlibContextBytes(agreement, role: .server)) {
            negotiated = nil
        }
        if let negotiated { headers.add(name: "Sec-WebSocket-Extensions", value: negotiated.responseHeader) }
        let fields = HTTP2HeaderBlock.fields(status: 200, headers: headers, contentLength: nil)
        let result = HTTP2HeaderBlock.withNameValues(fields) { pairs, count in
            var provider = nghttp2_data_provider(
                source: nghttp2_data_source(ptr: nil), read_callback: HTTP2Callbacks.readBody)
            return nghttp2_submit_response(session, stream.id, pairs, count, &provider)
        }
        guard result == 0 else {
            account.releaseAll()
            _ = nghttp2_submit_rst_stream(session, 0, stream.id, NGHTTP2_INTERNAL_ERROR.rawValue)
            return
        }
        stream.state = .webSocket
        // The head was routed and negotiated: an idle room stream keeps no copy of its headers.
        stream.request = HTTP2Request()
        let channel = HTTP2StreamChannel(connection: self, streamID: stream.id)
        stream.channel = channel
        statistics.upgradedConnections.add(1, ordering: .relaxed)
        statistics.http2.webSocketStreams.add(1, ordering: .relaxed)
        let webSocket = WebSocketConnection(
            channel: channel, loop: loop, peer: peer, role: .server, handler: handler, options: options,
            compression: negotiated?.agreement, account: account, configuration: configuration,
            statistics: statistics, logger: logger)
        channel.session = webSocket
        webSocket.start()
    }
}

extension HTTP2Stream {
    /// DATA for the stream's WebSocket.
    func deliver(_ bytes: UnsafeRawBufferPointer, on connection: HTTP2ServerConnection) {
        channel?.deliver(bytes)
    }

    /// The client sent END_STREAM.
    func inputEnded(_ connection: HTTP2ServerConnection) {
        channel?.inputEnded()
    }

    /// nghttp2 asks for the WebSocket's next bytes.
    func readWebSocketOutput(into buffer: UnsafeMutableRawBufferPointer, flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let channel else {
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            return 0
        }
        return channel.read(into: buffer, flags: flags)
    }

    /// The stream is closed: its body's reservation is given back, its session ends.
    func end(_ connection: HTTP2ServerConnection) {
        body = []
        _ = connection.link.account.keepCharge(&bodyCharged, for: 0, step: 4096)
        channel?.closed()
        channel = nil
    }
}
