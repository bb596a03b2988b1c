/// The server side of the opening handshake (RFC 6455 §4.2), as pure checks.
public enum ServerHandshake {
    /// The protocol version this server speaks (§4.2.1 item 6).
    public static let version = "13"

    /// Why an upgrade request was refused, and the HTTP response that says so.
    public struct Rejection: Error, Sendable, Hashable {
        /// The HTTP status: 400, 405 or 426.
        public let status: Int
        /// A short human reason, sent as the response body.
        public let reason: String
        /// Extra response headers (`Allow`, `Sec-WebSocket-Version`, `Upgrade`).
        public let headers: HTTPHeaders
    }

    /// Checks `request` against every rule of §4.2.1 and returns the
    /// `Sec-WebSocket-Accept` value, or why the request must be refused.
    public static func validate(_ request: HTTPRequestHead) -> Result<String, Rejection> {
        let headers = request.headers
        // §4.2.1 item 1: an HTTP/1.1 or higher GET request.
        guard request.method == "GET" else {
            return .failure(Rejection(status: 405, reason: "WebSocket upgrade needs GET", headers: ["Allow": "GET"]))
        }
        guard request.minorVersion >= 1 else {
            return .failure(Rejection(status: 400, reason: "WebSocket upgrade needs HTTP/1.1", headers: [:]))
        }
        // Item 2: exactly one Host field.
        guard let host = headers["Host"], !host.isEmpty else {
            return .failure(Rejection(status: 400, reason: "missing or repeated Host header", headers: [:]))
        }
        // Item 3: Upgrade lists "websocket"; a plain request is told to upgrade.
        guard !headers.values("Upgrade").isEmpty else {
            return .failure(upgradeRequired("this endpoint speaks WebSocket only"))
        }
        guard headers.contains("Upgrade", token: "websocket") else {
            return .failure(Rejection(status: 400, reason: "Upgrade header must list websocket", headers: [:]))
        }
        // Item 4: Connection lists "Upgrade", in any case and position.
        guard headers.contains("Connection", token: "upgrade") else {
            return .failure(Rejection(status: 400, reason: "Connection header must list Upgrade", headers: [:]))
        }
        // Item 5: a key of 16 random bytes, base64.
        guard let key = headers["Sec-WebSocket-Key"], WebSocketAccept.isValidKey(key) else {
            return .failure(
                Rejection(status: 400, reason: "Sec-WebSocket-Key must be 16 bytes in base64", headers: [:]))
        }
        // Item 6 and §4.4: version 13, else 426 naming the version we speak.
        guard headers["Sec-WebSocket-Version"]?.trimmingHTTPWhitespace() == version else {
            return .failure(upgradeRequired("unsupported Sec-WebSocket-Version; this server speaks 13"))
        }
        return .success(WebSocketAccept.value(forKey: key))
    }

    /// The 101 response that completes the handshake (§4.2.2 item 5).
    public static func response(accept: String, extraHeaders: HTTPHeaders = [:]) -> HTTPResponseHead {
        var headers: HTTPHeaders = [
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": accept,
        ]
        for field in extraHeaders { headers.add(name: field.name, value: field.value) }
        return HTTPResponseHead(status: 101, headers: headers)
    }

    private static func upgradeRequired(_ reason: String) -> Rejection {
        Rejection(
            status: 426, reason: reason,
            headers: ["Upgrade": "websocket", "Sec-WebSocket-Version": version])
    }
}
