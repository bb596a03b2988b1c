import Dispatch
import Foundation
import Logging
import SocketTransport
import WebSocketCore

/// A WebSocket client for tests, built on the transport's real client. Every
/// wait is asynchronous (it suspends, holding no thread) and bounded by a timeout.
public final class TestClient: WebSocketHandler, Sendable {

    /// What the client saw, in order.
    public enum Event: Sendable, Hashable {
        /// A message arrived.
        case message(WebSocketMessage)
        /// The connection closed with this code (nil: no close frame).
        case closed(CloseCode?)
    }

    /// A `next` call waiting for an event: its number and its continuation.
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Event?, Never>
    }

    /// What arrived and who waits for it, behind one lock.
    private struct State {
        var events: [Event] = []
        var waiter: Waiter?
        var waiters: UInt64 = 0
        var connection: WebSocketConnection?
    }

    private let state = LockedValue(State())

    private init() {}

    /// Connects to `path` on `port` of 127.0.0.1 and completes the handshake
    /// (over TLS when `tls` is given, offering permessage-deflate when `compression` is given,
    /// and the subprotocols `subprotocols`).
    public static func connect(
        port: Int, path: String = "/echo", headers: HTTPHeaders = [:], host: String = "127.0.0.1",
        tls: TLSClientConfiguration? = nil, loop: EventLoop = TestLoops.shared.next(),
        timeout: Duration = .seconds(10), compression: PerMessageDeflateConfiguration? = nil,
        subprotocols: [String] = []
    ) async throws -> TestClient {
        let client = TestClient()
        var configuration = TransportConfiguration()
        configuration.handshakeTimeout = timeout
        let connection = try await withCheckedThrowingContinuation { continuation in
            WebSocketClient.connect(
                WebSocketClientRequest(
                    host: host, port: port, path: path, headers: headers, tls: tls, subprotocols: subprotocols),
                handler: client, loop: loop, configuration: configuration,
                options: WebSocketEndpointOptions(compression: compression)
            ) { outcome in
                continuation.resume(with: outcome)
            }
        }
        client.state.withLock { $0.connection = connection }
        return client
    }

    /// Opens a WebSocket to `path` on `port` through `pool` (a stream of its
    /// shared HTTP/2 connection when the server speaks h2: see `WebSocketClientPool`).
    public static func connect(
        through pool: WebSocketClientPool, port: Int, path: String = "/echo", headers: HTTPHeaders = [:],
        host: String = "127.0.0.1", tls: TLSClientConfiguration? = nil, http2: HTTP2ClientMode = .negotiate,
        subprotocols: [String] = []
    ) async throws -> TestClient {
        let client = TestClient()
        let request = WebSocketClientRequest(
            host: host, port: port, path: path, headers: headers, tls: tls, http2: http2, subprotocols: subprotocols)
        let connection = try await withCheckedThrowingContinuation { continuation in
            pool.connect(request, handler: client) { outcome in continuation.resume(with: outcome) }
        }
        client.state.withLock { $0.connection = connection }
        return client
    }

    /// The subprotocol the server chose in the handshake (nil: none).
    public var subprotocol: String? { state.withLock { $0.connection }?.subprotocol }

    /// Sends a message.
    public func send(_ message: WebSocketMessage) {
        state.withLock { $0.connection }?.send(message)
    }

    /// Sends a text message.
    public func send(text: String) { send(.text(text)) }

    /// Waits until what was sent before the call has been written to the socket
    /// (on loopback: is in the server's receive buffer). Two turns of the
    /// client's loop: the sends run in the first, whose end writes them. The
    /// caller is suspended, not blocked.
    public func waitUntilWritten() async {
        guard let loop = state.withLock({ $0.connection })?.loop else { return }
        for _ in 0..<2 {
            await withCheckedContinuation { (turn: CheckedContinuation<Void, Never>) in loop.async { turn.resume() } }
        }
    }

    /// Starts the closing handshake.
    public func close(code: CloseCode = .normalClosure, reason: String = "") {
        state.withLock { $0.connection }?.close(code: code, reason: reason)
    }

    /// The next event, or `nil` if none arrives within `timeout`. The caller
    /// is suspended until the event (or the deadline) resumes it, so waiting
    /// holds no thread of the cooperative pool. One wait at a time.
    public func next(timeout: Duration = .seconds(10)) async -> Event? {
        await withCheckedContinuation { continuation in
            let (ready, id) = state.withLock { state -> (Event?, UInt64) in
                if !state.events.isEmpty { return (state.events.removeFirst(), 0) }
                precondition(state.waiter == nil, "TestClient: one next() at a time")
                state.waiters += 1
                state.waiter = Waiter(id: state.waiters, continuation: continuation)
                return (nil, state.waiters)
            }
            if let ready { return continuation.resume(returning: ready) }
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout.dispatch) { [self] in
                let expired = state.withLock { state -> Waiter? in
                    guard let current = state.waiter, current.id == id else { return nil }
                    state.waiter = nil
                    return current
                }
                expired?.continuation.resume(returning: nil)
            }
        }
    }

    /// The next message, or `nil` on timeout or close.
    public func nextMessage(timeout: Duration = .seconds(10)) async -> WebSocketMessage? {
        if case .message(let message) = await next(timeout: timeout) { return message }
        return nil
    }

    /// Waits for the close event, skipping messages; `nil` on timeout.
    public func waitForClose(timeout: Duration = .seconds(10)) async -> CloseCode?? {
        let deadline = ContinuousClock.now + timeout
        while case let remaining = deadline - ContinuousClock.now, remaining > .zero {
            switch await next(timeout: remaining) {
            case .closed(let code): return .some(code)
            case .message: continue
            case nil: return nil
            }
        }
        return nil
    }

    private func push(_ event: Event) {
        let waiting = state.withLock { state -> Waiter? in
            guard let current = state.waiter else {
                state.events.append(event)
                return nil
            }
            state.waiter = nil
            return current
        }
        waiting?.continuation.resume(returning: event)
    }

    public func webSocketDidOpen(_ connection: WebSocketConnection) {}

    public func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        push(.message(message))
    }

    public func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
        push(.closed(code))
    }
}
