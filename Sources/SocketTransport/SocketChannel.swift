import Dispatch
import Glibc
import Logging
import WebSocketCore

/// One TCP connection (plain, or TLS through its `TLSSession`) as the
/// ``ByteChannel`` of a WebSocket session: it reads the socket, writes what
/// the session queued with `writev(2)`, closes with a FIN and a lingering
/// close, and before the session exists speaks the HTTP/1.1 head (the server's
/// request reader and routing in `SocketChannel+Server`, the client's connect
/// and handshake in `SocketChannel+Client`). Driven by its loop's poller;
/// confined to the loop's thread.
final class SocketChannel: @unchecked Sendable {
    // Mutable state is confined to the loop's thread; the lets are immutable.

    /// Where the connection is in its life.
    enum Phase {
        /// Client: the TCP connect is in progress.
        case connecting
        /// Server, on a connection from a trusted proxy: reading the PROXY
        /// protocol header that comes before anything else (`SocketChannel+ProxyHeader`).
        case readingProxyHeader
        /// Server: reading the request head.
        case readingRequest
        /// Server: the head is read; waiting for a deferred route decision.
        case routing
        /// Client: reading the handshake response head.
        case readingResponse
        /// Client: reading the body of a refused handshake.
        case readingRefusal
        /// The WebSocket is open: bytes go to and come from `session`.
        case open
        /// Our FIN is sent; input is discarded until the peer's FIN or a deadline.
        case lingering
        /// The socket is closed or being closed.
        case closed
    }

    let loop: EventLoop
    /// The other end: the socket's peer, or on a connection from a trusted proxy
    /// the client address its PROXY protocol header carries, once read.
    var peer: SocketAddress
    /// The socket's own peer (the proxy's address on a proxied connection), for
    /// what is about the link itself (cleartext HTTP/2 on loopback only).
    let socketPeer: SocketAddress
    let fd: Int32
    let configuration: TransportConfiguration
    let statistics: TransportStatistics
    let logger: Logger

    var phase: Phase
    /// The WebSocket session this socket carries, once the handshake is done.
    var session: WebSocketConnection?
    var headParser: HTTPHeadParser?
    /// What is written before a session exists: a plain response or refusal,
    /// the client's request head.
    var output = OutboundQueue()
    /// Bytes of `output` reserved from the budget while they wait for the peer.
    var outputCharged = 0
    /// This connection's share of the server's memory budget (none for a
    /// client): what it holds before the upgrade, then its session's buffers
    /// (the session charges the same account).
    var account = BudgetAccount(nil)
    /// Server only: bytes reserved for what is held before the upgrade (a head
    /// arriving in pieces, early bytes while routing), in 4 KiB steps; 0 in the
    /// common case of a whole head in one read.
    var handshakeCharged = 0
    /// What the loop's poller watches the socket for.
    var interest = PollInterest.none
    /// Close once everything queued is written (a plain response; the session's `finishOutput`).
    var closeWhenFlushed = false
    /// Deadline of the current phase (handshake, lingering), in uptime ns; an
    /// open WebSocket's deadlines are its session's.
    var deadline: UInt64 {
        didSet { loop.check(self, noLaterThan: deadline) }
    }
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
    /// Server, on a connection from a trusted proxy: the header being read and
    /// the admission of the address it carries.
    var proxyHeader: ProxyHeaderReader?

    init(
        fd: Int32, peer: SocketAddress, phase: Phase, loop: EventLoop, configuration: TransportConfiguration,
        statistics: TransportStatistics, logger: Logger
    ) {
        self.fd = fd
        self.peer = peer
        socketPeer = peer
        self.phase = phase
        self.loop = loop
        self.configuration = configuration
        self.statistics = statistics
        self.logger = logger
        deadline = EventLoop.now() + configuration.handshakeTimeout.nanoseconds
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

    /// The handshake is done: the socket now carries a WebSocket session
    /// (whose first bytes, the 101 response on a server, are `preamble`).
    @discardableResult
    func open(
        role: WebSocketStateMachine.Role, handler: any WebSocketHandler, options: WebSocketEndpointOptions,
        compression: PerMessageDeflateAgreement?, account: BudgetAccount, preamble: [UInt8] = [],
        leftover: [UInt8]
    ) -> WebSocketConnection {
        let session = WebSocketConnection(
            channel: self, loop: loop, peer: peer, role: role, handler: handler, options: options,
            compression: compression, account: account, configuration: configuration, statistics: statistics,
            logger: logger)
        self.session = session
        phase = .open
        session.enqueue(preamble)
        session.start(leftover: leftover)
        return session
    }

    // MARK: Reading

    /// The socket has input: one bounded read (``WebSocketConnection/inputPerTurn``), for fairness.
    func readable() {
        guard phase != .closed else { return }
        let scratch = loop.scratch
        let limit = min(scratch.count, WebSocketConnection.inputPerTurn)
        let buffer = UnsafeMutableRawBufferPointer(rebasing: scratch[..<limit])
        let count: Int?
        do {
            count = try Syscall.read(fd, into: buffer)
        } catch {
            logger.debug("read failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
            closeSocket()
            return
        }
        guard let count else { return }  // would block
        guard count > 0 else {
            peerClosedStream()
            return
        }
        let bytes = UnsafeMutableRawBufferPointer(rebasing: buffer[..<count])
        if phase == .readingProxyHeader {
            receivedProxyHeaderBytes(bytes)  // before TLS and HTTP: the proxy's header is in clear
        } else if let tls {
            receivedCiphertext(tls, bytes)
        } else {
            received(bytes)
        }
    }

    /// Routes bytes (plaintext) to whatever the current phase reads. The server's
    /// HTTP/1.1 request reader is where a connection decides what it speaks.
    func received(_ bytes: UnsafeMutableRawBufferPointer) {
        switch phase {
        case .readingRequest: receivedRequestBytes(UnsafeRawBufferPointer(bytes))
        case .readingResponse: receivedResponseBytes(UnsafeRawBufferPointer(bytes))
        case .readingRefusal: receivedRefusalBytes(UnsafeRawBufferPointer(bytes))
        case .routing: keepWhileRouting(UnsafeRawBufferPointer(bytes))
        case .open: session?.received(bytes)
        case .readingProxyHeader, .connecting, .lingering, .closed: break  // not plaintext yet, or discarded
        }
    }

    /// The peer closed its side of the stream.
    func peerClosedStream() {
        switch phase {
        case .readingRefusal:
            finishRefusal()
        case .connecting, .readingResponse:
            failClient(.closedDuringHandshake)
            closeSocket()
        case .open:
            session?.inputEnded()  // it aborts: the socket closes
            closeSocket()
        case .readingProxyHeader:
            failProxyHeader("closed before the header was complete")
        case .readingRequest, .routing, .lingering, .closed:
            closeSocket()
        }
    }

    /// Closes the socket now: stops watching it; the descriptor is closed at the end of the turn.
    func closeSocket() {
        guard phase != .closed else { return }
        phase = .closed
        detachSession()
        if let client {
            self.client = nil
            client.complete(.failure(.closedDuringHandshake))
        }
        setInterest(.none)
        // The descriptor is closed after this turn: an event already read for it
        // in the poller's current batch then finds no watcher instead of a new
        // socket that reused its number.
        loop.async { [self] in finish() }
    }

    /// The session is over on this socket: it frees what it held.
    func detachSession() {
        guard let session else { return }
        self.session = nil
        session.channelClosed()
    }

    private func finish() {
        // Everything buffered for the peer is freed now, and its reservation given
        // back, before the descriptor closes (and the peer sees it).
        output = OutboundQueue()
        outputCharged = 0
        handshakeCharged = 0
        account.releaseAll()
        Syscall.close(fd)
        loop.unregister(self)
        let onFinish = self.onFinish
        self.onFinish = nil
        onFinish?()
    }
}
