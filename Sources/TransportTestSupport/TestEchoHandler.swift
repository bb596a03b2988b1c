import SocketTransport
import WebSocketCore

/// Echoes every text message as text and every binary as binary; stateless,
/// so one instance serves every connection.
public final class TestEchoHandler: WebSocketHandler {
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
