import SocketTransport
import WebSocketCore

/// A WebSocket handler that records what its session reports, and echoes
/// every message when asked to. For tests that drive a session through a
/// ``FakeByteChannel`` on its loop.
public final class SessionRecorder: WebSocketHandler, @unchecked Sendable {
    // Touched only on the session's loop (the test reads it there through `loop.sync`).

    /// One close the session reported.
    public struct Close: Sendable, Hashable {
        /// The close code of the handshake, or nil without one.
        public let code: CloseCode?
        /// The reason text of the peer's close frame.
        public let reason: String

        /// A close with `code` and `reason`.
        public init(code: CloseCode?, reason: String) {
            self.code = code
            self.reason = reason
        }
    }

    /// Whether each message is sent straight back.
    public let echoes: Bool
    /// Times the session said it was open.
    public private(set) var openCount = 0
    /// The messages received, in order.
    public private(set) var messages: [WebSocketMessage] = []
    /// The closes reported (a session reports one at most).
    public private(set) var closes: [Close] = []

    /// A recorder that echoes (or not).
    public init(echoes: Bool = false) {
        self.echoes = echoes
    }

    /// Counted.
    public func webSocketDidOpen(_ connection: WebSocketConnection) {
        openCount += 1
    }

    /// Kept, and echoed when `echoes`.
    public func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        messages.append(message)
        if echoes { connection.send(message) }
    }

    /// Kept without a reason.
    public func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
        closes.append(Close(code: code, reason: ""))
    }

    /// Kept with its reason.
    public func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?, reason: String) {
        closes.append(Close(code: code, reason: reason))
    }
}
