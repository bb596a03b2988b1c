import RoomProtocol
import SocketTransport
import WebSocketCore

/// Where a room lives: the server's host and port, TLS or not, and the room id,
/// parsed from `wss://host:port` (or `ws://` on loopback) plus a room name.
public struct ServerAddress: Sendable, Hashable, CustomStringConvertible {
    /// Host name or address.
    public var host: String
    /// TCP port (default 80 for `ws://`).
    public var port: Int
    /// The room id, as in `/v1/rooms/{roomId}`.
    public var room: String
    /// TLS settings for `wss://`; nil for plain `ws://`.
    public var tls: TLSClientConfiguration?
    /// Whether the room's WebSocket may go over HTTP/2 (RFC 8441). Default
    /// `.negotiate`: when the server selects `h2` over TLS.
    public var http2 = HTTP2ClientMode.negotiate

    /// Creates an address from its parts.
    public init(host: String, port: Int, room: String, tls: TLSClientConfiguration? = nil) {
        self.host = host
        self.port = port
        self.room = room
        self.tls = tls
    }

    /// Parses `wss://host[:port][/]` (default port 443, the server verified against the
    /// system's trusted CAs or `trustedCAFile`) or `ws://host[:port]` (default 80), and a
    /// room id. A path other than `/` is refused so a token-bearing URL is never built.
    public init(url: String, room: String, trustedCAFile: String? = nil) throws(ClientFailure) {
        var rest = Substring(url)
        let schemes = ["ws://": 80, "http://": 80, "wss://": 443, "https://": 443]
        guard let scheme = schemes.keys.first(where: { rest.hasPrefix($0) }) else {
            throw .invalidAddress(url)
        }
        let secure = scheme.hasPrefix("wss") || scheme.hasPrefix("https")
        rest = rest.dropFirst(scheme.count)
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("@"), !rest.contains("?") else {
            throw .invalidAddress(url)
        }
        var host = String(rest)
        var port = schemes[scheme] ?? 80
        if let colon = rest.lastIndex(of: ":"), !rest.hasSuffix("]") {
            guard let parsed = Int(rest[rest.index(after: colon)...]), (1...65535).contains(parsed) else {
                throw .invalidAddress(url)
            }
            port = parsed
            host = String(rest[..<colon])
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let roomBytes = room.utf8
        guard !room.isEmpty, roomBytes.count <= 128,
            roomBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") && $0 != UInt8(ascii: "?") })
        else { throw .invalidRoom(room) }
        self.init(
            host: host, port: port, room: room,
            tls: secure ? TLSClientConfiguration(trustedCAFile: trustedCAFile) : nil)
    }

    /// The request path of the room: `/v1/rooms/{roomId}`.
    public var path: String { "/v1/rooms/\(room)" }

    /// `wss://host:port/v1/rooms/room` (no token: tokens never go in URLs).
    public var description: String { "\(tls == nil ? "ws" : "wss")://\(host):\(port)\(path)" }

    /// The upgrade request: the token in `Authorization: Bearer`, when resuming
    /// `Last-Event-Sequence` with the last sequence number seen, and the offer of
    /// `iop.v2` (a member's own chat message is its acknowledgement; a server that
    /// does not choose it speaks v1, and the client handles both: docs/PROTOCOL.md).
    public func request(token: String, lastSequence: UInt64?) -> WebSocketClientRequest {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        if let lastSequence {
            headers = ["Authorization": "Bearer \(token)", "Last-Event-Sequence": "\(lastSequence)"]
        }
        return WebSocketClientRequest(
            host: host, port: port, path: path, headers: headers, tls: tls, http2: http2,
            subprotocols: [RoomProtocolRevision.v2Subprotocol])
    }
}
