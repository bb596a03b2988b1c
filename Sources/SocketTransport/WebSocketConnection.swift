// Why `WebSocketConnection` spans about 800 lines of extensions (over the ~500
// the style allows): one connection's whole life (HTTP head, TLS, the WebSocket
// session, its queue, budget and deadlines) is one object confined to its loop,
// each concern in its own file (none over 240 lines). Issue 10 splits it: the
// WebSocket session over a byte channel (TCP, TLS, one HTTP/2 stream), written once.
import Dispatch
import Logging
import WebSocketCore

/// One TCP connection, from accept (or connect) through the HTTP head and the
/// WebSocket session to the socket's close, driven by its event loop's poller.
///
/// Applications see it as the handle of an open WebSocket: `send` and `close`
/// may be called from any thread (they hop onto the loop). Everything else is
/// confined to the loop's thread.
public final class WebSocketConnection: @unchecked Sendable {
    // Mutable state is confined to the loop's thread; the lets are immutable.

    /// The granularity of an outbound queue's reservation: 4 KiB, so that 10,000
    /// members whose queues wait at once are over-counted by 40 MiB at most, while
    /// a waiting queue of small frames reserves again only every twenty or so.
    static let outboundChargeStep = 4 << 10

    /// Where the connection is in its life.
    enum Phase {
        /// Client: the TCP connect is in progress.
        case connecting
        /// Server: reading the request head.
        case readingRequest
        /// Server: the head is read; waiting for a deferred route decision.
        case routing
        /// Client: reading the handshake response head.
        case readingResponse
        /// Client: reading the body of a refused handshake.
        case readingRefusal
        /// The WebSocket is open (or its closing handshake is under way).
        case open
        /// Our FIN is sent; input is discarded until the peer's FIN or a deadline.
        case lingering
        /// The socket is closed or being closed.
        case closed
    }

    /// The event loop that owns this connection.
    public let loop: EventLoop
    /// The peer's address.
    public let peer: SocketAddress
    let fd: Int32
    let role: WebSocketStateMachine.Role
    let configuration: TransportConfiguration
    let statistics: TransportStatistics
    let logger: Logger

    var phase: Phase
    var machine: WebSocketStateMachine?
    var headParser: HTTPHeadParser?
    var handler: (any WebSocketHandler)?
    var options = WebSocketEndpointOptions()
    var outbound = OutboundQueue()
    /// This connection's share of the server's memory budget (none for a client).
    var account = BudgetAccount(nil)
    /// Bytes of `outbound` reserved from the budget: 0 while the queue is
    /// written in the turn it fills (the common case reserves nothing), what
    /// it holds (rounded up) while it waits for a slow socket.
    var outboundCharged = 0
    /// Server only: bytes reserved for what is held before the upgrade (a head
    /// arriving in pieces, early bytes while routing), in 4 KiB steps; 0 in the
    /// common case of a whole head in one read.
    var handshakeCharged = 0
    /// What the loop's poller watches the socket for.
    var interest = PollInterest.none
    var closeWhenFlushed = false
    var closeNotified = false
    /// Deadline of the current phase (handshake, closing, lingering), in uptime ns;
    /// 0 = none (open: the keep-alive ping and the idle timeout apply).
    var deadline: UInt64 = 0 {
        // The loop looks at a connection only when its next check is due: a new
        // deadline, or the keep-alive once open, may be sooner than the one planned.
        didSet {
            let keepAlive = min(configuration.pingInterval, configuration.idleTimeout).nanoseconds
            loop.check(self, noLaterThan: deadline != 0 ? deadline : lastHeard &+ keepAlive)
        }
    }
    /// When we last heard from the peer, in uptime ns.
    var lastHeard: UInt64
    var pingOutstanding = false
    /// Called once, on the loop, when the socket is finally closed.
    var onFinish: (() -> Void)?
    /// Server only: bytes that arrived after the head, kept while routing.
    var pendingInput: [UInt8] = []
    /// Server only: decides what each request gets.
    var router: (any HTTPRouter)?
    /// Server only: the request is a HEAD: a plain response goes without its body.
    var answersHead = false
    /// Client only: the pending handshake and the caller waiting for it.
    var client: ClientContext?
    /// TLS state when the connection is `wss`/`https`; nil for plain TCP.
    var tls: TLSSession?
    /// Client only: the masking key source, the system CSPRNG.
    var random = SystemRandomNumberGenerator()
    /// Our Close frame is queued: no data frame may follow it (RFC 6455 §5.5.1).
    /// Until then, replies to messages that arrived in the same read as the peer's
    /// Close or a protocol error still go out, ahead of our Close.
    var closeFrameQueued = false

    /// Whether a data frame may be queued now.
    var mayQueueData: Bool { machine != nil && phase == .open && !closeFrameQueued }
    /// Compresses outgoing messages when permessage-deflate was negotiated; nil otherwise.
    var deflater: MessageDeflater?
    /// Messages shorter than this go out uncompressed even when `deflater` is set.
    var minimumCompressedSize = 0

    init(
        fd: Int32, peer: SocketAddress, role: WebSocketStateMachine.Role, phase: Phase,
        loop: EventLoop, configuration: TransportConfiguration, statistics: TransportStatistics,
        logger: Logger
    ) {
        self.fd = fd
        self.peer = peer
        self.role = role
        self.phase = phase
        self.loop = loop
        self.configuration = configuration
        self.statistics = statistics
        self.logger = logger
        lastHeard = DispatchTime.now().uptimeNanoseconds
        deadline = lastHeard + configuration.handshakeTimeout.nanoseconds
    }

    /// Registers with the loop so its deadlines are checked. On the loop.
    func activate() {
        loop.register(self, checkAt: deadline)
        loop.startSweeping(every: configuration.timerResolution)
    }

    /// Starts watching the socket for input. On the loop, once the socket is
    /// connected.
    func startReading() {
        setInterest(.readable)
    }

    // MARK: Public API, callable from any thread

    /// Sends a message; ignored once our Close frame is queued (a message that
    /// arrived before the peer's Close is still answered).
    public func send(_ message: WebSocketMessage) {
        loop.execute { [self] in
            guard mayQueueData else { return }
            switch message {
            case .text(var text):
                text.withUTF8 { sendData(.text, UnsafeRawBufferPointer($0)) }
            case .binary(let bytes):
                bytes.withUnsafeBytes { sendData(.binary, $0) }
            }
        }
    }

    /// Sends a frame encoded once for many recipients (fan-out). On a client
    /// connection the payload is re-encoded with a fresh mask, as RFC 6455 §5.3 requires.
    public func send(_ frame: EncodedFrame) {
        // On the loop (a room's fan-out) this runs without allocating a closure per recipient.
        if loop.inLoop {
            queue(frame)
        } else {
            loop.async { [self] in queue(frame) }
        }
    }

    private func queue(_ frame: EncodedFrame) {
        guard mayQueueData else { return }
        if role == .server, deflater == nil {
            enqueue(frame.bytes)
        } else {
            frame.bytes.withUnsafeBytes {
                sendData(frame.opcode, UnsafeRawBufferPointer(rebasing: $0[frame.headerLength...]))
            }
        }
    }

    /// Starts the closing handshake (RFC 6455 §7.1.2) with `code` and `reason`.
    public func close(code: CloseCode = .normalClosure, reason: String = "") {
        loop.execute { [self] in
            guard phase == .open else { return }
            var actions: [WebSocketStateMachine.Action] = []
            machine?.close(code: code, reason: reason, into: &actions)
            perform(actions)
        }
    }

    /// Encodes and queues one data frame (masked on the client side),
    /// compressed with RSV1 set when permessage-deflate was negotiated and the
    /// message is long enough (RFC 7692 §6).
    private func sendData(_ opcode: Opcode, _ payload: UnsafeRawBufferPointer) {
        let key = role == .client ? MaskingKey.random(using: &random) : nil
        if let deflater, payload.count >= minimumCompressedSize {
            let compressed = deflater.compress(payload)
            enqueue(FrameEncoder.encode(opcode, payload: compressed, reservedBits: FrameHeader.rsv1, maskingKey: key))
            return
        }
        enqueue(FrameEncoder.encode(opcode, payload: payload, maskingKey: key))
    }

    /// Encodes and queues a control frame (masked on the client side).
    func sendControl(_ opcode: Opcode, _ payload: [UInt8]) {
        let key = role == .client ? MaskingKey.random(using: &random) : nil
        enqueue(FrameEncoder.encode(opcode, payload: payload, maskingKey: key))
    }
}

/// A server frame encoded once, to be sent as the same bytes to many connections.
public struct EncodedFrame: Sendable, Hashable {
    /// The whole frame, unmasked.
    public let bytes: [UInt8]
    let opcode: Opcode
    let headerLength: Int

    /// Encodes a text message.
    public static func text(_ text: String) -> EncodedFrame {
        EncodedFrame(opcode: .text, payload: Array(text.utf8))
    }

    /// Encodes a binary message.
    public static func binary(_ bytes: [UInt8]) -> EncodedFrame {
        EncodedFrame(opcode: .binary, payload: bytes)
    }

    private init(opcode: Opcode, payload: [UInt8]) {
        self.opcode = opcode
        headerLength = FrameEncoder.headerLength(payloadCount: payload.count, masked: false)
        bytes = FrameEncoder.encode(opcode, payload: payload)
    }
}
