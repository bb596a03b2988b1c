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

    /// Creates a request.
    public init(
        host: String, port: Int, path: String, headers: HTTPHeaders = [:], tls: TLSClientConfiguration? = nil
    ) {
        self.host = host
        self.port = port
        self.path = path
        self.headers = headers
        self.tls = tls
    }
}

/// The client side of the transport: non-blocking connect, the opening
/// handshake (RFC 6455 §4.1), then the same connection machinery as the server.
public enum WebSocketClient {
    /// Connects and performs the handshake on `loop`; `completion` runs on the
    /// loop exactly once, with the open connection or the reason it failed.
    public static func connect(
        _ request: WebSocketClientRequest, handler: any WebSocketHandler, loop: EventLoop,
        configuration: TransportConfiguration = TransportConfiguration(),
        options: WebSocketEndpointOptions = WebSocketEndpointOptions(),
        statistics: TransportStatistics = TransportStatistics(),
        logger: Logger = Logger(label: "iop.client"),
        completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
    ) {
        loop.execute {
            var session: TLSSession?
            if let tls = request.tls {
                do throws(TLSError) {
                    let host = tls.serverName ?? request.host
                    session = TLSSession(client: try TLSContext.shared(client: tls), host: host)
                    if session == nil { throw TLSError.setupFailed.detailed("cannot verify host \(host)") }
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
                    handler: handler, options: options, completion: completion)
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
    var refusal: HTTPResponseHead?
    var refusalBody: [UInt8] = []

    func complete(_ result: Result<WebSocketConnection, WebSocketClientError>) {
        completion(result)
    }
}
