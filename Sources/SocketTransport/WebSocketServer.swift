import Dispatch
import Glibc
import Logging
import WebSocketCore

/// A WebSocket and plain-HTTP server on POSIX sockets and epoll.
///
/// Each accepted connection is assigned to one event loop (one of a few threads)
/// for its whole life; there is no thread per connection. Requests are routed
/// by an `HTTPRouter`; over `maxConnections`, new connections get 503 before
/// any upgrade.
public final class WebSocketServer: @unchecked Sendable {
    // `listeners`, `isStopping`, `tlsConfiguration` and `tlsContext` are touched only
    // on `acceptLoop`; `addressLimiter` is behind its lock (a proxied connection is
    // admitted on its own loop, once its PROXY header names the client).

    /// The settings the server runs with.
    public let configuration: TransportConfiguration
    /// Counters for metrics.
    public let statistics: TransportStatistics
    /// What every connection buffers for its peer is reserved here first
    /// (`configuration.memoryBudgetBytes`).
    public let memoryBudget: MemoryBudget
    private let router: any HTTPRouter
    private let group: EventLoopGroup
    /// The loops the server's connections run on (for tests).
    var loops: [EventLoop] { group.loops }
    /// The loop the listening sockets are watched on (the group's first).
    private let acceptLoop: EventLoop
    /// Whether the server made its loops (and so ends their threads when it stops).
    private let ownsLoops: Bool
    private let logger: Logger
    private var listeners: [Listener] = []
    private var isStopping = false
    private var tlsConfiguration: TLSConfiguration?
    /// The context new connections get; replaced by `reloadTLS`, while existing
    /// connections keep the one they started with.
    private var tlsContext: TLSContext?
    /// Per-address connection and handshake-rate limits.
    private let addressLimiter: LockedValue<AddressLimiter>
    /// Monotonic nanoseconds for the per-address token buckets.
    private let clock: @Sendable () -> UInt64

    /// Creates a server; nothing is bound until `bind`. `clock` gives monotonic
    /// nanoseconds to the per-address handshake buckets (default: the system's
    /// uptime clock; tests pass a fake one). `loops` are the event loops its
    /// connections run on (default: `configuration.eventLoopCount` new ones); pass
    /// them when other work should share their threads. `memoryBudget` is the
    /// budget its connections reserve from (default: a new one of
    /// `configuration.memoryBudgetBytes`); pass one to read it elsewhere (metrics).
    public init(
        configuration: TransportConfiguration = TransportConfiguration(), router: any HTTPRouter,
        statistics: TransportStatistics = TransportStatistics(), logger: Logger,
        clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds },
        loops: EventLoopGroup? = nil, memoryBudget: MemoryBudget? = nil
    ) {
        self.configuration = configuration
        self.clock = clock
        self.memoryBudget = memoryBudget ?? MemoryBudget(limit: max(configuration.memoryBudgetBytes, 1))
        addressLimiter = LockedValue(
            AddressLimiter(
                maxConnections: configuration.maxConnectionsPerAddress,
                handshakesPerSecond: configuration.handshakesPerSecondPerAddress,
                burst: configuration.handshakeBurstPerAddress))
        self.router = router
        self.statistics = statistics
        self.logger = logger
        group = loops ?? EventLoopGroup(count: configuration.eventLoopCount)
        ownsLoops = loops == nil
        acceptLoop = group.loops[0]
    }

    /// Binds and starts listening on `host:port` (port 0 picks a free port).
    /// Returns the bound address. May be called for several addresses.
    @discardableResult
    public func bind(host: String, port: Int) throws(SocketError) -> SocketAddress {
        let listener = try Listener(host: host, port: port, backlog: configuration.listenBacklog)
        acceptLoop.sync {
            listeners.append(listener)
            listener.start(on: acceptLoop) { [self] fd, peer in accepted(fd, peer: peer) }
        }
        logger.info("listening", metadata: ["address": "\(listener.address)"])
        return listener.address
    }

    /// Serves TLS only (`wss://`, `https://`) from now on, with the certificate
    /// chain and key of `configuration` (loaded by `TLSContext(server:)`).
    /// Call before `bind`.
    public func configureTLS(_ configuration: TLSConfiguration) throws(TLSError) {
        let context = try TLSContext(server: configuration, http2: self.configuration.http2.enabled)
        acceptLoop.sync {
            tlsConfiguration = configuration
            tlsContext = context
        }
        logger.info("tls configured", metadata: ["certificate": "\(configuration.certificateChainFile)"])
    }

    /// Reads the certificate chain and key files again (after a renewal); new
    /// connections use them, existing ones keep theirs. On failure the old
    /// context stays in use and the error says why. Does nothing without TLS.
    public func reloadTLS() throws(TLSError) {
        guard let configuration = acceptLoop.sync({ tlsConfiguration }) else { return }
        let context = try TLSContext(server: configuration, http2: self.configuration.http2.enabled)
        acceptLoop.sync { tlsContext = context }
        logger.info("tls reloaded", metadata: ["certificate": "\(configuration.certificateChainFile)"])
    }

    /// Whether connections are served over TLS.
    public var usesTLS: Bool {
        acceptLoop.sync { tlsContext != nil }
    }

    /// The addresses the server listens on.
    public var addresses: [SocketAddress] {
        acceptLoop.sync { listeners.map(\.address) }
    }

    /// A new connection: refuse it over capacity or over its address's limits,
    /// else hand it to a loop. A trusted proxy's connection is admitted by
    /// address only once its PROXY header says whose it is.
    private func accepted(_ fd: Int32, peer: SocketAddress) {
        statistics.acceptedConnections.add(1, ordering: .relaxed)
        let open = statistics.openConnections.add(1, ordering: .relaxed).newValue
        if isStopping || open > configuration.maxConnections {
            statistics.openConnections.subtract(1, ordering: .relaxed)
            statistics.refusedOverCapacity.add(1, ordering: .relaxed)
            refuse(fd, reason: isStopping ? "server shutting down" : "server at capacity", retryAfter: 5)
            return
        }
        let fromProxy = configuration.trustedProxies.contains(peer)
        let ticket = AddressTicket()
        if !fromProxy, let refusal = admit(peer, ticket: ticket) {
            statistics.openConnections.subtract(1, ordering: .relaxed)
            return refuse(fd, reason: refusal.reason, retryAfter: refusal.retryAfterSeconds)
        }
        var session: TLSSession?
        if let tlsContext {
            session = TLSSession(server: tlsContext)
            guard session != nil else {
                if let key = ticket.key { releaseAddress(key) }
                statistics.openConnections.subtract(1, ordering: .relaxed)
                statistics.tlsHandshakeFailures.add(1, ordering: .relaxed)
                Syscall.close(fd)
                return
            }
        }
        let loop = group.next()
        let connection = SocketChannel(
            fd: fd, peer: peer, phase: fromProxy ? .readingProxyHeader : .readingRequest, loop: loop,
            configuration: configuration, statistics: statistics, logger: logger)
        connection.router = router
        connection.tls = session
        connection.account = BudgetAccount(memoryBudget)
        connection.headParser = HTTPHeadParser(maxHeadLength: configuration.maxHeadLength)
        if fromProxy {
            connection.proxyHeader = ProxyHeaderReader { [weak self] client in self?.admit(client, ticket: ticket) }
        }
        connection.onFinish = { [statistics, weak self] in
            statistics.openConnections.subtract(1, ordering: .relaxed)
            if let key = ticket.key { self?.releaseAddress(key) }
        }
        loop.execute {
            connection.activate()
            connection.startReading()
        }
    }

    /// Applies the per-address limits to `address` (any thread); when admitted,
    /// `ticket` holds the key to release when the connection finishes.
    private func admit(_ address: SocketAddress, ticket: AddressTicket) -> AddressRefusal? {
        let key = address.limiterKey
        let decision = addressLimiter.withLock { $0.admit(key, now: clock()) }
        switch decision {
        case .admit:
            ticket.key = key
            return nil
        case .tooManyConnections:
            statistics.refusedAddressConnections.add(1, ordering: .relaxed)
            return AddressRefusal(reason: "too many connections from this address", retryAfterSeconds: 5)
        case .tooManyHandshakes:
            statistics.refusedAddressHandshakeRate.add(1, ordering: .relaxed)
            return AddressRefusal(reason: "too many new connections from this address", retryAfterSeconds: 1)
        }
    }

    /// Answers 503 before any upgrade (plain HTTP only: a TLS peer could not
    /// read it) and closes. Best effort: the request is not read first.
    private func refuse(_ fd: Int32, reason: String, retryAfter: Int) {
        if tlsContext == nil {
            let response = HTTPResponse.text(503, reason, headers: ["Retry-After": "\(retryAfter)"]).serialized()
            _ = response.withUnsafeBytes { try? Syscall.write(fd, $0) }
        }
        Syscall.close(fd)
    }

    /// A connection admitted by the per-address limits has finished (any queue).
    private func releaseAddress(_ key: AddressLimiter.Key) {
        guard configuration.maxConnectionsPerAddress > 0 || configuration.handshakesPerSecondPerAddress > 0 else {
            return
        }
        addressLimiter.withLock { $0.release(key) }
    }

    /// Graceful stop: stop accepting, close every WebSocket with 1001, wait up
    /// to `gracePeriod` for the closing handshakes, then close what remains.
    /// Blocks the caller until every connection is closed; the loops the
    /// server made itself then end (loops passed in keep running). Only the
    /// first call does anything.
    public func shutdown(gracePeriod: Duration = .seconds(5)) {
        let first = acceptLoop.sync {
            defer { isStopping = true }
            for listener in listeners { listener.stop() }
            listeners = []
            return !isStopping
        }
        guard first else { return }
        for loop in group.loops {
            loop.sync { for watched in loop.connections.values { watched.connection.beginShutdown() } }
        }
        let deadline = DispatchTime.now() + .nanoseconds(Int(gracePeriod.nanoseconds))
        while statistics.openConnections.load(ordering: .relaxed) > 0, DispatchTime.now() < deadline {
            usleep(10_000)
        }
        for loop in group.loops {
            loop.sync { for watched in loop.connections.values { watched.connection.closeNow() } }
        }
        // Sockets are closed at the end of their loop's turn; let that happen (bounded).
        for _ in 0..<100 where statistics.openConnections.load(ordering: .relaxed) > 0 {
            usleep(10_000)
        }
        if ownsLoops {
            for loop in group.loops { loop.sync {} }  // the last turn's closes are done
            group.stop()
        }
        logger.info("stopped")
    }
}

/// The per-address key a connection was admitted under, released when it
/// finishes. Set once, before the connection's loop reads it (on the accept loop
/// before the hand-over, or on the connection's own loop once its PROXY header is read).
final class AddressTicket: @unchecked Sendable {
    var key: AddressLimiter.Key?
}
