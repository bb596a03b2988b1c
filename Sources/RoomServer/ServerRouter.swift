import SocketTransport
import WebSocketCore

/// Routes `iopd`'s requests: `/echo` (when enabled), `/livez`, everything else 404.
public struct ServerRouter: HTTPRouter {
    private let settings: ServerSettings
    private let echo = EchoHandler()

    /// Creates the router for `settings`.
    public init(settings: ServerSettings) {
        self.settings = settings
    }

    /// Decides what `request` gets.
    public func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
        switch request.path {
        case "/echo" where settings.echoEnabled:
            let options = WebSocketEndpointOptions(
                limits: settings.echoLimits, maxQueuedBytes: settings.echoMaxQueuedBytes)
            return .upgrade(echo, options)
        case "/livez":
            guard request.method == "GET" || request.method == "HEAD" else {
                return .respond(.text(405, "method not allowed", headers: ["Allow": "GET, HEAD"]))
            }
            return .respond(.text(200, "ok"))
        default:
            return .respond(.text(404, "not found"))
        }
    }
}
