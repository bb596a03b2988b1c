import Dispatch
import Foundation
import Logging
import SocketTransport
import WebSocketCore

/// A blocking WebSocket client for tests, built on the transport's real
/// client. Every wait is bounded by a timeout.
public final class TestClient: WebSocketHandler, @unchecked Sendable {
    // `events` and `connection` are guarded by `lock`.

    /// What the client saw, in order.
    public enum Event: Sendable, Hashable {
        /// A message arrived.
        case message(WebSocketMessage)
        /// The connection closed with this code (nil: no close frame).
        case closed(CloseCode?)
    }

    private let lock = NSLock()
    private let signal = DispatchSemaphore(value: 0)
    private var events: [Event] = []
    private var connection: WebSocketConnection?

    private init() {}

    /// Connects to `path` on `port` of 127.0.0.1 and completes the handshake
    /// (over TLS when `tls` is given, offering permessage-deflate when `compression` is given).
    public static func connect(
        port: Int, path: String = "/echo", headers: HTTPHeaders = [:], host: String = "127.0.0.1",
        tls: TLSClientConfiguration? = nil, loop: EventLoop = TestLoops.shared.next(),
        timeout: Duration = .seconds(10), compression: PerMessageDeflateConfiguration? = nil
    ) async throws -> TestClient {
        let client = TestClient()
        var configuration = TransportConfiguration()
        configuration.handshakeTimeout = timeout
        let connection = try await withCheckedThrowingContinuation { continuation in
            WebSocketClient.connect(
                WebSocketClientRequest(host: host, port: port, path: path, headers: headers, tls: tls),
                handler: client, loop: loop, configuration: configuration,
                options: WebSocketEndpointOptions(compression: compression)
            ) { outcome in
                continuation.resume(with: outcome)
            }
        }
        client.lock.withLock { client.connection = connection }
        return client
    }

    /// Sends a message.
    public func send(_ message: WebSocketMessage) {
        lock.withLock { connection }?.send(message)
    }

    /// Sends a text message.
    public func send(text: String) { send(.text(text)) }

    /// Waits until what was sent before the call has been written to the socket
    /// (on loopback: is in the server's receive buffer). Two turns of the
    /// client's loop: the sends run in the first, whose end writes them.
    public func waitUntilWritten() {
        guard let loop = lock.withLock({ connection })?.loop else { return }
        loop.sync {}
        loop.sync {}
    }

    /// Starts the closing handshake.
    public func close(code: CloseCode = .normalClosure, reason: String = "") {
        lock.withLock { connection }?.close(code: code, reason: reason)
    }

    /// The next event, or `nil` if none arrives within `timeout`.
    public func next(timeout: Duration = .seconds(10)) -> Event? {
        let deadline = DispatchTime.now() + timeout.dispatch
        while true {
            if let event = lock.withLock({ events.isEmpty ? nil : events.removeFirst() }) { return event }
            if signal.wait(timeout: deadline) == .timedOut { return nil }
        }
    }

    /// The next message, or `nil` on timeout or close.
    public func nextMessage(timeout: Duration = .seconds(10)) -> WebSocketMessage? {
        if case .message(let message) = next(timeout: timeout) { return message }
        return nil
    }

    /// Waits for the close event, skipping messages; `nil` on timeout.
    public func waitForClose(timeout: Duration = .seconds(10)) -> CloseCode?? {
        let deadline = DispatchTime.now() + timeout.dispatch
        while DispatchTime.now() < deadline {
            let remaining = Duration.nanoseconds(
                Int64(deadline.uptimeNanoseconds - DispatchTime.now().uptimeNanoseconds))
            switch next(timeout: remaining) {
            case .closed(let code): return .some(code)
            case .message: continue
            case nil: return nil
            }
        }
        return nil
    }

    private func push(_ event: Event) {
        lock.withLock { events.append(event) }
        signal.signal()
    }

    public func webSocketDidOpen(_ connection: WebSocketConnection) {}

    public func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        push(.message(message))
    }

    public func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
        push(.closed(code))
    }
}
