import Logging
import SocketTransport
import WebSocketCore

/// A ``ByteChannel`` without a socket, for driving one WebSocket session in a
/// test: the test is the peer. It delivers bytes (whole or in pieces), ends
/// its input, resets; the peer reads when the test calls ``pump()``, taking
/// everything, only part (a short write), or nothing (EAGAIN), as
/// ``readMode`` says. It pulls output the way an HTTP/2 stream does
/// (`takeOutput(into:)`), so the same tables can later run over a real stream
/// channel.
///
/// Confined to the session's loop: call everything inside `loop.sync`.
public final class FakeByteChannel: ByteChannel, @unchecked Sendable {
    // Touched only on the session's loop (the test runs there through `loop.sync`).

    /// How much the peer takes at each ``pump()``.
    public enum ReadMode: Sendable, Hashable {
        /// Everything queued.
        case everything
        /// At most this many bytes (a short write).
        case atMost(Int)
        /// Nothing: the write would block (EAGAIN).
        case nothing
    }

    /// How much the peer takes at the next pumps. Default: everything.
    public var readMode = ReadMode.everything
    /// The session this channel carries.
    public private(set) var session: WebSocketConnection!
    /// Everything the peer has received, in order.
    public private(set) var received: [UInt8] = []
    /// Times the session said its queue had become non-empty.
    public private(set) var outputReadyCount = 0
    /// The session asked to finish its output once the queue drains.
    public private(set) var finishRequested = false
    /// The output was finished (FIN, END_STREAM) after the queue drained.
    public private(set) var outputFinished = false
    /// The session aborted the channel (a reset, RST_STREAM).
    public private(set) var aborted = false
    /// The channel is closed: the session was told (`channelClosed()`).
    public private(set) var isClosed = false

    /// Creates a channel; ``open(role:handler:options:budget:configuration:statistics:clock:loop:)`` gives it its session.
    public init() {}

    /// Opens a server (or client) session over this channel on `loop`, its
    /// deadlines measured with `clock`. On the loop.
    @discardableResult
    public func open(
        role: WebSocketStateMachine.Role = .server, handler: any WebSocketHandler,
        options: WebSocketEndpointOptions = WebSocketEndpointOptions(), budget: MemoryBudget? = nil,
        configuration: TransportConfiguration = TransportConfiguration(),
        statistics: TransportStatistics = TransportStatistics(), clock: FakeClock, loop: EventLoop
    ) -> WebSocketConnection {
        let session = WebSocketConnection(
            channel: self, loop: loop, peer: try! SocketAddress(host: "127.0.0.1", port: 1), role: role,
            handler: handler, options: options, compression: nil, account: BudgetAccount(budget),
            configuration: configuration, statistics: statistics, logger: Logger(label: "iop.fake-channel"),
            clock: clock.reader)
        self.session = session
        session.start()
        return session
    }

    // MARK: ByteChannel

    /// Counted; the test decides when the peer reads.
    package func outputReady() {
        outputReadyCount += 1
    }

    /// Finishes at once when nothing waits, else at the pump that drains the queue.
    package func finishOutput() {
        finishRequested = true
        if !session.hasOutput { endOutput() }
    }

    /// Closes at once.
    package func abort() {
        aborted = true
        close()
    }

    // MARK: The peer's side

    /// The peer reads what ``readMode`` allows; returns how many bytes it took.
    @discardableResult
    public func pump() -> Int {
        guard !isClosed else { return 0 }
        var taken = 0
        switch readMode {
        case .nothing:
            return 0
        case .atMost(let limit):
            taken = take(upTo: limit)
        case .everything:
            while case let count = take(upTo: 4096), count > 0 { taken += count }
        }
        if finishRequested, !isClosed, !session.hasOutput { endOutput() }
        return taken
    }

    /// The peer sends `bytes`, handed to the session in pieces of at most `piece` bytes.
    public func deliver(_ bytes: [UInt8], inPiecesOf piece: Int = .max) {
        var start = 0
        while start < bytes.count, !isClosed {
            var chunk = Array(bytes[start..<min(bytes.count, start + max(1, piece))])
            start += chunk.count
            chunk.withUnsafeMutableBytes { session.received($0) }
        }
    }

    /// The peer ends its output (FIN, END_STREAM).
    public func endInput() {
        session.inputEnded()
    }

    /// The peer resets the channel (a TCP reset, RST_STREAM): the session is told it is closed.
    public func reset() {
        close()
    }

    private func take(upTo limit: Int) -> Int {
        guard limit > 0 else { return 0 }
        var buffer = [UInt8](repeating: 0, count: limit)
        let count = buffer.withUnsafeMutableBytes { session.takeOutput(into: $0) }
        received += buffer[..<count]
        return count
    }

    private func endOutput() {
        outputFinished = true
        close()
    }

    private func close() {
        guard !isClosed else { return }
        isClosed = true
        session.channelClosed()
    }
}
