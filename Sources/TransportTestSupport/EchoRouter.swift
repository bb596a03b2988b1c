import SocketTransport
import WebSocketCore

/// The transport tests' router: `/echo` upgrades to a `TestEchoHandler` (when
/// enabled), every other request is a plain 404. Nothing of RoomServer.
public struct EchoRouter: HTTPRouter {
    private let settings: EchoSettings
    private let echo = TestEchoHandler()

    /// Creates the router for `settings`.
    public init(settings: EchoSettings = .echoTesting) {
        self.settings = settings
    }

    /// `/echo` or 404.
    public func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
        guard request.path == "/echo", settings.echoEnabled else { return .respond(.text(404, "not found")) }
        return .upgrade(echo, settings.endpointOptions)
    }
}
