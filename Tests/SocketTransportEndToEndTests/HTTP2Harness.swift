import Dispatch
import Logging
import SocketTransport
import TransportTestSupport
import WebSocketCore

/// The HTTP/2 tests' router: `/hello` 200, `/later` 200 decided on another
/// thread, `/refused` 401 decided later (a bad token's shape), `/big` a
/// 200 KB body, `/hang` never decided (a stream that stays open), `/echo` a
/// WebSocket; everything else 404.
struct HTTP2TestRouter: HTTPRouter {
    let echo = TestEchoHandler()
    var options = WebSocketEndpointOptions(limits: WebSocketLimits(), maxQueuedBytes: 256 << 10)

    func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
        switch request.path {
        case "/hello": return .respond(.text(200, "hello"))
        case "/big": return .respond(HTTPResponse(status: 200, body: [UInt8](repeating: 0x61, count: 200_000)))
        case "/later":
            return .deferred { decide in DispatchQueue.global().async { decide(.respond(.text(200, "later"))) } }
        case "/refused":
            return .deferred { decide in DispatchQueue.global().async { decide(.respond(.text(401, "bad token"))) } }
        case "/hang": return .deferred { _ in }
        case "/echo": return .upgrade(echo, options)
        default: return .respond(.text(404, "not found"))
        }
    }
}

/// A plain server on 127.0.0.1 with `HTTP2TestRouter` and the given configuration.
final class HTTP2Harness: Sendable {
    let server: WebSocketServer
    let port: Int

    init(_ configure: (inout TransportConfiguration) -> Void = { _ in }, router: HTTP2TestRouter = HTTP2TestRouter())
        throws
    {
        var configuration = TransportConfiguration()
        configuration.timerResolution = .milliseconds(50)
        configure(&configuration)
        server = WebSocketServer(configuration: configuration, router: router, logger: Logger(label: "test"))
        port = try server.bind(host: "127.0.0.1", port: 0).port
    }

    var statistics: HTTP2Statistics { server.statistics.http2 }

    /// A connected client that sent the preface and `settings`.
    func client(settings: [(UInt16, UInt32)] = [], receiveBufferSize: Int32? = nil) throws -> HTTP2TestClient {
        try HTTP2TestClient(port: port, settings: settings, receiveBufferSize: receiveBufferSize)
    }

    func stop() { server.shutdown(gracePeriod: .seconds(1)) }
}
