import Dispatch
import Logging
import WebSocketCore

/// One WebSocket session (RFC 6455), whatever carries its bytes: a TCP
/// socket, TLS, or one HTTP/2 stream (its ``ByteChannel``).
///
/// It owns what is the same over every channel: the state machine, the
/// limits, permessage-deflate, the outbound queue with its slow-consumer rule
/// and memory-budget charge, the closing handshake and its timeout, the
/// keep-alive ping and the idle timeout. The channel only moves bytes (see
/// ``ByteChannel`` for the contract).
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

    /// The most input one connection may bring into one turn of its loop (one
    /// read of at most this many bytes). A peer that floods cheap frames (pings,
    /// empty fragments) then costs its loop at most this much parsing before every
    /// other ready connection on the loop has had its turn; the rest waits in the
    /// kernel and the poller (level-triggered) reports it again next turn. 8 KiB
    /// is a chat message many times over; a 64 KiB command takes eight turns.
    public static let inputPerTurn = 8 * 1024

    /// The event loop that owns this connection.
    public let loop: EventLoop
    /// The subprotocol agreed in the handshake (RFC 6455 §1.9), nil for none; safe from any thread.
    public var subprotocol: String? { options.subprotocol }
    /// The peer's address (for an HTTP/2 stream: its connection's).
    public let peer: SocketAddress
    let role: WebSocketStateMachine.Role
    let options: WebSocketEndpointOptions
    /// The keep-alive ping interval, idle timeout and close timeout, in ns
    /// (from `TransportConfiguration`; only these, so a session stays small).
    let pingInterval: UInt64, idleTimeout: UInt64, closeTimeout: UInt64
    let statistics: TransportStatistics
    let logger: Logger
    /// Monotonic nanoseconds (the loop's uptime clock; tests pass a fake one).
    let clock: @Sendable () -> UInt64

    /// What carries the bytes; nil once it is closed (`channelClosed()`).
    var channel: (any ByteChannel)?
    /// The RFC 6455 state machine; nil once the channel is closed.
    var machine: WebSocketStateMachine?
    var handler: (any WebSocketHandler)?
    var outbound = OutboundQueue()
    /// This session's share of the server's memory budget (none for a client).
    let account: BudgetAccount
    /// Bytes of `outbound` reserved from the budget: 0 while the queue is
    /// written in the turn it fills (the common case reserves nothing), what
    /// it holds (rounded up) while it waits for a slow peer.
    var outboundCharged = 0
    var closeNotified = false
    /// Our Close frame is queued: no data frame may follow it (RFC 6455 §5.5.1).
    /// Until then, replies to messages that arrived in the same read as the peer's
    /// Close or a protocol error still go out, ahead of our Close.
    var closeFrameQueued = false
    /// The channel was told to finish its output: nothing more is queued.
    var outputFinishing = false
    /// When our unanswered Close gives up on the peer (uptime ns); 0 = none.
    var closingDeadline: UInt64 = 0 {
        didSet { if closingDeadline != 0 { loop.check(self, noLaterThan: closingDeadline) } }
    }
    /// When we last heard from the peer, in uptime ns.
    var lastHeard: UInt64
    var pingOutstanding = false
    /// Client only: the masking key source, the system CSPRNG.
    var random = SystemRandomNumberGenerator()
    /// Compresses outgoing messages when permessage-deflate was negotiated; nil otherwise.
    var deflater: MessageDeflater?
    /// Messages shorter than this go out uncompressed even when `deflater` is set.
    var minimumCompressedSize = 0

    /// Whether a data frame may be queued now.
    var mayQueueData: Bool { machine != nil && !closeFrameQueued }

    /// A session over `channel`, whose handshake is done (with the zlib codecs
    /// when `compression` was agreed; their memory is already reserved on
    /// `account`). Nothing happens until ``start(leftover:)``.
    package init(
        channel: any ByteChannel, loop: EventLoop, peer: SocketAddress, role: WebSocketStateMachine.Role,
        handler: any WebSocketHandler, options: WebSocketEndpointOptions,
        compression: PerMessageDeflateAgreement?, account: BudgetAccount,
        configuration: TransportConfiguration, statistics: TransportStatistics, logger: Logger,
        clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) {
        self.channel = channel
        self.loop = loop
        self.peer = peer
        self.role = role
        self.handler = handler
        self.options = options
        self.account = account
        pingInterval = configuration.pingInterval.nanoseconds
        idleTimeout = configuration.idleTimeout.nanoseconds
        closeTimeout = configuration.closeTimeout.nanoseconds
        self.statistics = statistics
        self.logger = logger
        self.clock = clock
        lastHeard = clock()
        var inflater: ZlibMessageInflater?
        if let compression {
            inflater = ZlibMessageInflater(compression.receiving(as: role))
            deflater = MessageDeflater(compression.sending(as: role))
            minimumCompressedSize = compression.minimumCompressedSize
        }
        machine = WebSocketStateMachine(
            role: role, limits: options.limits, inflater: inflater, allowance: account.budget == nil ? nil : account)
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
            guard machine != nil else { return }
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
