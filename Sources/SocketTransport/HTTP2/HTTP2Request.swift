import WebSocketCore

/// One HTTP/2 request's header block as it is decoded (RFC 9113 §8.3), and
/// what it asks for once complete: a plain request, an extended CONNECT for
/// a WebSocket (RFC 8441 §4–5), or a refusal with its status. Pure.
struct HTTP2Request {
    /// What a complete header block asks for.
    enum Kind: Equatable {
        /// A plain request, as the HTTP/1.1 head the router knows.
        case plain(HTTPRequestHead)
        /// An extended CONNECT with `:protocol websocket`, as the RFC 6455
        /// GET it stands for (the router sees the same head as over HTTP/1.1).
        case webSocket(HTTPRequestHead)
        /// Refused before routing: `status` and a short reason for the body.
        case refused(status: Int, reason: String, headers: HTTPHeaders)
    }

    private(set) var method = ""
    private(set) var path = ""
    private(set) var authority = ""
    private(set) var scheme = ""
    private(set) var connectProtocol: String?
    private(set) var headers = HTTPHeaders()
    /// Bytes of the header list so far (name + value + 32 per field, RFC 9113 §6.5.2).
    private(set) var listSize = 0

    /// Adds one decoded field; false when the list would exceed `limit` bytes.
    /// nghttp2 has already checked the pseudo-header rules (RFC 9113 §8.3,
    /// RFC 8441 §4: `:protocol` only with CONNECT), so only their values are kept here.
    mutating func add(name: String, value: String, limit: Int) -> Bool {
        listSize += name.utf8.count + value.utf8.count + 32
        guard listSize <= limit else { return false }
        switch name {
        case ":method": method = value
        case ":path": path = value
        case ":authority": authority = value
        case ":scheme": scheme = value
        case ":protocol": connectProtocol = value
        default: headers.add(name: name, value: value)
        }
        return true
    }

    /// What the complete block asks for.
    var kind: Kind {
        var head = HTTPRequestHead(method: method, target: path, headers: headers)
        if head.headers["Host"] == nil, !authority.isEmpty { head.headers.add(name: "Host", value: authority) }
        guard method == "CONNECT" else { return .plain(head) }
        // RFC 8441 §4: a CONNECT without :protocol is a tunnel request, which this server does not serve.
        guard let connectProtocol else {
            return .refused(status: 405, reason: "CONNECT needs :protocol websocket", headers: ["Allow": "GET, HEAD"])
        }
        // RFC 8441 §5: only the WebSocket protocol.
        guard connectProtocol == "websocket" else {
            return .refused(status: 501, reason: "unsupported :protocol; this server speaks websocket", headers: [:])
        }
        // RFC 8441 §5 keeps RFC 6455's version header: 13 only (as §4.4 over HTTP/1.1, status 400 here:
        // HTTP/2 has no Upgrade, so no 426).
        guard headers["Sec-WebSocket-Version"]?.trimmingHTTPWhitespace() == ServerHandshake.version else {
            return .refused(
                status: 400, reason: "unsupported Sec-WebSocket-Version; this server speaks 13",
                headers: ["Sec-WebSocket-Version": ServerHandshake.version])
        }
        head.method = "GET"
        return .webSocket(head)
    }
}
