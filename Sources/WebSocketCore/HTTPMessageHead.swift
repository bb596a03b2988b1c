/// The head of an HTTP/1.1 request: request line and header fields (RFC 9112 §3).
public struct HTTPRequestHead: Sendable, Hashable {
    /// The method, e.g. `GET`; case-sensitive (RFC 9110 §9.1).
    public var method: String
    /// The request target as sent, e.g. `/v1/rooms/abc?x=1`.
    public var target: String
    /// The minor HTTP version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    public var minorVersion: Int
    /// The header fields.
    public var headers: HTTPHeaders

    /// Creates a request head.
    public init(method: String, target: String, minorVersion: Int = 1, headers: HTTPHeaders = [:]) {
        self.method = method
        self.target = target
        self.minorVersion = minorVersion
        self.headers = headers
    }

    /// The target's path, without the query.
    public var path: Substring {
        target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
    }

    /// The head as bytes on the wire.
    public func serialized() -> [UInt8] {
        var text = "\(method) \(target) HTTP/1.\(minorVersion)\r\n"
        for field in headers { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }
}

/// The head of an HTTP/1.1 response: status line and header fields (RFC 9112 §4).
public struct HTTPResponseHead: Sendable, Hashable {
    /// The status code, e.g. 101.
    public var status: Int
    /// The reason phrase, e.g. `Switching Protocols`.
    public var reason: String
    /// The header fields.
    public var headers: HTTPHeaders

    /// Creates a response head; the reason defaults to the standard phrase.
    public init(status: Int, reason: String? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.reason = reason ?? HTTPResponseHead.standardReason(status)
        self.headers = headers
    }

    /// The head as bytes on the wire.
    public func serialized() -> [UInt8] {
        var text = "HTTP/1.1 \(status) \(reason)\r\n"
        for field in headers { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        return Array(text.utf8)
    }

    /// The standard reason phrase for the statuses this server sends.
    public static func standardReason(_ status: Int) -> String {
        switch status {
        case 101: "Switching Protocols"
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 426: "Upgrade Required"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}
