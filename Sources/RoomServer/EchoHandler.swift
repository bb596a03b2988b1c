import SocketTransport
import WebSocketCore

/// The `/echo` endpoint: every text message echoed as text, every binary as
/// binary. It is how RFC 6455 test suites and raw benchmarks reach the transport.
/// Stateless, so one instance serves every connection.
public final class EchoHandler: WebSocketHandler {
    /// Creates the handler.
    public init() {}

    /// Nothing to do on open.
    public func webSocketDidOpen(_ connection: WebSocketConnection) {}

    /// Sends the message straight back.
    public func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        connection.send(message)
    }

    /// Nothing to do on close.
    public func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {}
}
