import CNghttp2
import Dispatch
import Logging

/// One HTTP/2 client connection (RFC 9113) carrying WebSockets as extended
/// CONNECT streams (RFC 8441): an `nghttp2_session` driven from the event
/// loop exactly as the server's (`HTTP2ServerConnection`): fed with the
/// plaintext its `HTTP2SocketLink` reads (`nghttp2_session_mem_recv`),
/// written once per loop turn (`nghttp2_session_mem_send`), every byte
/// nghttp2 holds counted by an `HTTP2Allocator`. Each `open` is one stream.
///
/// Streams wait for the server's SETTINGS: with
/// `SETTINGS_ENABLE_CONNECT_PROTOCOL = 1` (RFC 8441 §3) they are sent; without
/// it each falls back to an HTTP/1.1 connection of its own. The connection
/// retires (takes no new stream; its pool forgets it) on GOAWAY, when the
/// server does not offer extended CONNECT, and when its last stream closes
/// (then it says GOAWAY and closes). When the socket dies every stream is
/// told: an open WebSocket's handler gets its close (no code), a stream
/// still waiting for its answer fails with `closedDuringHandshake`.
/// Confined to its loop's thread.
final class HTTP2ClientConnection: @unchecked Sendable {
    // Confined to the loop's thread.
    /// Where the connection is, as far as opening streams goes.
    enum Readiness {
        /// Our preface is out; the server's SETTINGS have not arrived.
        case awaitingSettings
        /// The server accepts extended CONNECT: streams are sent as they come.
        case ready
        /// The server does not (or it is gone): nothing more is opened here.
        case retired
    }

    let loop: EventLoop
    let link: HTTP2SocketLink
    let peer: SocketAddress
    let configuration: TransportConfiguration
    let statistics: TransportStatistics
    let logger: Logger
    /// `:scheme` and `:authority` of every request (RFC 9113 §8.3.1).
    let scheme: String
    let authority: String
    var session: OpaquePointer?
    private let allocator: HTTP2Allocator
    private(set) var readiness = Readiness.awaitingSettings
    /// Streams that wait for the server's SETTINGS.
    var waiting: [HTTP2OpenRequest] = []
    /// The streams sent and not yet closed.
    var streams: [Int32: HTTP2ClientStream] = [:]
    /// When the server's SETTINGS are due (uptime ns).
    let settingsDeadline: UInt64
    /// Told once when the connection takes no more streams (its pool forgets it).
    var onRetire: (() -> Void)?

    /// Starts a client session over `link` and queues the preface and our
    /// SETTINGS; nil if nghttp2 could not be set up.
    init?(
        link: HTTP2SocketLink, peer: SocketAddress, scheme: String, authority: String,
        configuration: TransportConfiguration, statistics: TransportStatistics, logger: Logger
    ) {
        self.link = link
        loop = link.loop
        self.peer = peer
        self.scheme = scheme
        self.authority = authority
        self.configuration = configuration
        self.statistics = statistics
        self.logger = logger
        allocator = HTTP2Allocator(account: link.account)
        settingsDeadline = EventLoop.now() &+ configuration.handshakeTimeout.nanoseconds
        guard
            let session = HTTP2Session.start(
                nghttp2_session_client_new3, callbacks: HTTP2ClientCallbacks.make(), owner: self,
                allocator: allocator, limits: configuration.http2, settings: Self.settings, statistics: statistics)
        else { return nil }
        self.session = session
        loop.register(self, checkAt: settingsDeadline)
        loop.startSweeping(every: configuration.timerResolution)
    }

    /// Whether a new stream may be opened here.
    var acceptsStreams: Bool { session != nil && readiness != .retired }

    /// Our SETTINGS (RFC 9113 §6.5.2): no server push, and the header list
    /// limit we keep for responses.
    private static let settings = [
        nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_PUSH.rawValue), value: 0),
        nghttp2_settings_entry(
            settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
            value: UInt32(HTTP2ClientStream.maxResponseBytes)),
    ]

    /// Opens a WebSocket as a new stream: now when the server's SETTINGS
    /// allowed extended CONNECT, once they arrive otherwise; over a new
    /// HTTP/1.1 connection when this one is retired.
    func open(_ request: HTTP2OpenRequest) {
        switch readiness {
        case .awaitingSettings: waiting.append(request)
        case .ready: submit(request)
        case .retired: fallBack(request)
        }
    }

    /// The server's SETTINGS arrived (the first ones decide).
    func settingsReceived() {
        guard let session, readiness == .awaitingSettings else { return }
        let connect = nghttp2_session_get_remote_settings(session, NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL)
        let opens = waiting
        waiting = []
        guard connect == 1 else {
            logger.debug("http2 server without extended CONNECT", metadata: ["peer": "\(peer)"])
            retire()
            opens.forEach(fallBack)
            return closeIfIdle()
        }
        readiness = .ready
        opens.forEach(submit)
    }

    /// Takes no new stream from here on; the pool is told (once).
    func retire() {
        readiness = .retired
        let onRetire = self.onRetire
        self.onRetire = nil
        onRetire?()
    }

    /// Opens `request` over an HTTP/1.1 connection of its own (RFC 8441 §3:
    /// a server that does not send the setting does not take extended CONNECT).
    private func fallBack(_ request: HTTP2OpenRequest) {
        var http1 = request.request
        http1.http2 = .off
        WebSocketClient.connect(
            http1, handler: request.handler, loop: loop, configuration: configuration, options: request.options,
            statistics: statistics, logger: logger, completion: request.completion)
    }

    /// With no stream left (and none waiting), a retired or idle connection
    /// says GOAWAY NO_ERROR and closes.
    func closeIfIdle() {
        guard let session, streams.isEmpty, waiting.isEmpty else { return }
        retire()
        if nghttp2_session_terminate_session(session, NGHTTP2_NO_ERROR.rawValue) != 0 { return link.close() }
        wantsToSend()
    }

    /// Plaintext from the server: fed to nghttp2, whose callbacks act on it.
    func received(_ bytes: UnsafeRawBufferPointer) {
        guard let session, bytes.count > 0 else { return }
        let result = nghttp2_session_mem_recv(session, bytes.baseAddress, bytes.count)
        if result < 0 { return failed(Int32(result)) }
    }

    /// Moves what nghttp2 has to send into the link; closes when nghttp2 is done.
    func send() {
        guard let session else { return }
        if let error = HTTP2Session.drain(session, into: link) { failed(error) }
    }

    /// Asks for `send()` at the end of this turn.
    func wantsToSend() {
        guard session != nil else { return }
        link.requestSend()
    }

    /// nghttp2 failed: the server broke HTTP/2 (GOAWAY sent where nghttp2 still can), then the socket closes.
    private func failed(_ error: Int32) {
        logger.debug("http2 client failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
        retire()
        if let session, nghttp2_session_want_write(session) != 0 {
            var data: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &data)
            if count > 0, let data { link.write(Array(UnsafeBufferPointer(start: data, count: count))) }
            return link.closeAfterFlush()
        }
        link.close()
    }

    func linkOverflowed() {
        statistics.http2.count(.writeQueue)
    }

    /// The socket is closed: every stream is told, nghttp2's memory freed.
    func linkClosed() {
        loop.unregister(self)
        retire()
        let opens = waiting
        waiting = []
        let open = streams.values.sorted { $0.id < $1.id }
        streams = [:]
        HTTP2Session.end(session, allocator: allocator, statistics: statistics)
        session = nil
        for request in opens { request.completion(.failure(.closedDuringHandshake)) }
        for stream in open { stream.end() }
    }
}

extension HTTP2ClientConnection: HTTP2SessionHolder, HTTP2LinkOwner {}
