import Dispatch
import Glibc
import Logging
import WebSocketCore

/// Where and how a client connects.
public struct WebSocketClientRequest: Sendable {
    /// Host name or address.
    public var host: String
    /// TCP port.
    public var port: Int
    /// Request target, e.g. `/echo`.
    public var path: String
    /// Extra request headers (e.g. `Authorization`).
    public var headers: HTTPHeaders
    /// TLS (`wss://`) and how the server is verified; nil for plain `ws://`. Default nil.
    public var tls: TLSClientConfiguration?
    /// Whether HTTP/2 may carry the WebSocket (RFC 8441). Default
    /// `.negotiate`: over TLS when the server selects `h2` in ALPN.
    public var http2: HTTP2ClientMode
    /// The subprotocols offered (`Sec-WebSocket-Protocol`), in order of preference; the
    /// server's choice, if any, is the open connection's ``WebSocketConnection/subprotocol``.
    /// Default none.
    public var subprotocols: [String]

    /// Creates a request.
    public init(
        host: String, port: Int, path: String, headers: HTTPHeaders = [:], tls: TLSClientConfiguration? = nil,
        http2: HTTP2ClientMode = .negotiate, subprotocols: [String] = []
    ) {
        self.host = host
        self.port = port
        self.path = path
        self.headers = headers
        self.tls = tls
        self.http2 = http2
        self.subprotocols = subprotocols
    }

    /// The `Host` header's value (and HTTP/2's `:authority`): the port only when not the scheme's default.
    var authority: String {
        port == (tls == nil ? 80 : 443) ? host : "\(host):\(port)"
    }
}

/// The client side of the transport: non-blocking connect, the opening
/// handshake (RFC 6455 §4.1, or an extended CONNECT on an HTTP/2 stream,
/// RFC 8441, when the server selects `h2`), then the same session machinery
/// as the server.
public enum WebSocketClient {
    /// Connects and performs the handshake on `loop`; `completion` runs on the
    /// loop exactly once, with the open connection or the reason it failed.
    /// Over HTTP/2 the connection is this WebSocket's alone (it closes with
    /// it); ``WebSocketClientPool`` shares one among several.
    public static func connect(
        _ request: WebSocketClientRequest, handler: any WebSocketHandler, loop: EventLoop,
        configuration: TransportConfiguration = TransportConfiguration(),
        options: WebSocketEndpointOptions = WebSocketEndpointOptions(),
        statistics: TransportStatistics = TransportStatistics(),
        logger: Logger = Logger(label: "iop.client"),
        completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
    ) {
        connect(
            request, handler: handler, loop: loop, configuration: configuration, options: options,
            statistics: statistics, logger: logger, adopt: { _ in }, completion: completion)
    }

    /// The same; `adopt` is told (on the loop) of the HTTP/2 connection when
    /// the server selected h2, before this request's stream is opened on it.
    static func connect(
        _ request: WebSocketClientRequest, handler: any WebSocketHandler, loop: EventLoop,
        configuration: TransportConfiguration, options: WebSocketEndpointOptions, statistics: TransportStatistics,
        logger: Logger, adopt: @escaping @Sendable (HTTP2ClientConnection) -> Void,
        completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
    ) {
        loop.execute {
            var session: TLSSession?
            if let tls = request.tls {
                do throws(TLSError) {
                    let host = tls.serverName ?? request.host
                    session = TLSSession(client: try TLSContext.shared(client: tls), host: host)
                    if session == nil { throw TLSError.setupFailed.detailed("cannot verify host \(host)") }
                    // ALPN (RFC 7301): h2 preferred when allowed; the context offers http/1.1 alone.
                    if request.http2 != .off, session?.offerProtocols(["h2", "http/1.1"]) != true {
                        throw TLSError.setupFailed.detailed("ALPN")
                    }
                } catch {
                    return completion(.failure(.tls(error)))
                }
            }
            do throws(SocketError) {
                let address = try SocketAddress(host: request.host, port: request.port)
                let fd = try Syscall.socket(family: address.family)
                try? Syscall.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
                let connection = SocketChannel(
                    fd: fd, peer: address, phase: .connecting, loop: loop, configuration: configuration,
                    statistics: statistics, logger: logger)
                connection.tls = session
                var random = SystemRandomNumberGenerator()
                connection.client = ClientContext(
                    request: request, handshake: ClientHandshake(key: WebSocketAccept.makeKey(using: &random)),
                    handler: handler, options: options, completion: completion, adopt: adopt)
                connection.activate()
                connection.startConnect(to: address)
            } catch {
                completion(.failure(.connectFailed(error)))
            }
        }
    }
}

/// A client connection's pending handshake.
struct ClientContext {
    let request: WebSocketClientRequest
    let handshake: ClientHandshake
    let handler: any WebSocketHandler
    let options: WebSocketEndpointOptions
    let completion: @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
    /// Told of the HTTP/2 connection when the server selects h2 (a pool keeps it).
    let adopt: @Sendable (HTTP2ClientConnection) -> Void
    var refusal: HTTPResponseHead?
    var refusalBody: [UInt8] = []
    /// TLS offered h2: the upgrade request waits for ALPN's answer (the handshake's end).
    var awaitsProtocol = false

    func complete(_ result: Result<WebSocketConnection, WebSocketClientError>) {
        completion(result)
    }
}
