import CNghttp2
import Dispatch
import Logging

/// One HTTP/2 server connection (RFC 9113): an `nghttp2_session` fed with
/// the plaintext its `HTTP2SocketLink` reads (`nghttp2_session_mem_recv`)
/// and written, once per loop turn, with what the session produced
/// (`nghttp2_session_mem_send`). Requests are routed by the same
/// `HTTPRouter` as over HTTP/1.1, many streams at once; every byte nghttp2
/// holds is charged to the memory budget (`HTTP2Allocator`). Confined to
/// its loop's thread; no thread of its own.
final class HTTP2ServerConnection: @unchecked Sendable {
    // Confined to the loop's thread: route decisions made elsewhere hop back with `loop.execute`.
    let loop: EventLoop
    let peer: SocketAddress
    let configuration: TransportConfiguration
    let statistics: TransportStatistics
    let logger: Logger
    let router: any HTTPRouter
    /// The socket; it holds this connection too, until it is closed.
    let link: HTTP2SocketLink
    var limits: HTTP2Configuration { configuration.http2 }
    /// The nghttp2 session; nil once the connection is over (it is freed then).
    var session: OpaquePointer?
    private let allocator: HTTP2Allocator
    /// The streams the client opened that are not closed yet.
    var streams: [Int32: HTTP2Stream] = [:]
    var floodGuard: HTTP2FloodGuard
    /// When the client was last heard from (uptime ns), for the idle timeout.
    var lastHeard: UInt64
    /// A GOAWAY that ends the connection is queued: counters stop counting.
    private(set) var isTerminating = false
    /// When the connection began to end (uptime ns; 0: it has not): after
    /// `closeTimeout` the socket is closed, whether or not the peer read our GOAWAY.
    private var endingSince: UInt64 = 0

    /// Starts an HTTP/2 connection over `link` and queues our SETTINGS
    /// (RFC 9113 §3.4); nil if nghttp2 could not be set up (out of budget).
    init?(
        link: HTTP2SocketLink, peer: SocketAddress, router: any HTTPRouter, configuration: TransportConfiguration,
        statistics: TransportStatistics, logger: Logger
    ) {
        self.link = link
        loop = link.loop
        self.peer = peer
        self.router = router
        self.configuration = configuration
        self.statistics = statistics
        self.logger = logger
        allocator = HTTP2Allocator(account: link.account)
        floodGuard = HTTP2FloodGuard(limits: configuration.http2)
        lastHeard = DispatchTime.now().uptimeNanoseconds
        guard
            let session = HTTP2Session.start(
                nghttp2_session_server_new3, callbacks: HTTP2Callbacks.make(), owner: self, allocator: allocator,
                limits: configuration.http2, settings: Self.settings(configuration.http2), statistics: statistics,
                configure: {
                    // Our HPACK encoder's table: nghttp2's default 4 KiB, whatever the client allows.
                    nghttp2_option_set_max_deflate_dynamic_table_size($0, 4096)
                })
        else { return nil }
        self.session = session
        loop.register(self, checkAt: lastHeard &+ configuration.idleTimeout.nanoseconds)
    }

    /// SETTINGS (RFC 9113 §6.5.2, RFC 8441 §3): the stream and header list
    /// limits, and SETTINGS_ENABLE_CONNECT_PROTOCOL = 1.
    private static func settings(_ limits: HTTP2Configuration) -> [nghttp2_settings_entry] {
        [
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue),
                value: UInt32(clamping: limits.maxConcurrentStreams)),
            nghttp2_settings_entry(
                settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue),
                value: UInt32(clamping: limits.maxHeaderListSize)),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_ENABLE_CONNECT_PROTOCOL.rawValue), value: 1),
        ]
    }

    /// Plaintext from the client: fed to nghttp2, whose callbacks route it.
    func received(_ bytes: UnsafeRawBufferPointer) {
        guard let session, bytes.count > 0 else { return }
        lastHeard = DispatchTime.now().uptimeNanoseconds
        let result = nghttp2_session_mem_recv(session, bytes.baseAddress, bytes.count)
        if result < 0 { return failed(Int32(result)) }
    }

    /// Moves what nghttp2 has to send into the link (called once per loop
    /// turn by the link, before it writes); closes when nghttp2 is done.
    func send() {
        guard let session else { return }
        if let error = HTTP2Session.drain(session, into: link) { failed(error) }
    }

    /// Asks for `send()` at the end of this turn.
    func wantsToSend() {
        guard session != nil else { return }
        link.requestSend()
    }

    /// Ends the connection with GOAWAY `code` (RFC 9113 §6.8): nghttp2 sends it, then the socket closes.
    func terminate(_ code: nghttp2_error_code) {
        guard let session, !isTerminating else { return }
        isTerminating = true
        startEnding()
        if nghttp2_session_terminate_session(session, code.rawValue) != 0 { return link.close() }
        wantsToSend()
    }

    /// nghttp2 failed (`mem_recv`/`mem_send` returned `error`): counted, a
    /// GOAWAY is sent where nghttp2 still can, then the socket closes.
    private func failed(_ error: Int32) {
        logger.debug("http2 failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
        guard let session else { return link.close() }
        isTerminating = true  // counted here, not again for the GOAWAY in `frameSent`
        startEnding()
        if error == NGHTTP2_ERR_NOMEM.rawValue {
            statistics.http2.count(.memoryBudget)
            link.account.budget?.count(.inbound)
            // Best effort: a GOAWAY needs a little memory too.
            _ = nghttp2_session_terminate_session(session, NGHTTP2_INTERNAL_ERROR.rawValue)
        } else {
            statistics.http2.count(.protocolError)
        }
        // What nghttp2 queued (its GOAWAY) goes out, then the socket closes.
        while true {
            var data: UnsafePointer<UInt8>?
            let count = nghttp2_session_mem_send(session, &data)
            guard count > 0, let data else { break }
            link.write(Array(UnsafeBufferPointer(start: data, count: count)))
        }
        link.closeAfterFlush()
        self.session = nil
        nghttp2_session_del(session)
    }

    /// The link's write queue went over `maxQueuedBytes`: the client does not read.
    func linkOverflowed() {
        statistics.http2.count(.writeQueue)
    }

    /// The socket is closed: every stream ends, and nghttp2's memory is freed and given back.
    func linkClosed() {
        loop.unregister(self)
        for stream in streams.values { stream.end(self) }
        streams = [:]
        HTTP2Session.end(session, allocator: allocator, statistics: statistics)
        session = nil
    }

}

extension HTTP2ServerConnection: DeadlineKeeper {
    /// An idle connection (nothing heard for `idleTimeout`) gets GOAWAY
    /// NO_ERROR; a lingering close the peer never ended is closed.
    func checkDeadlines(now: UInt64) -> UInt64 {
        guard !link.isClosed else { return .max }
        let closeTimeout = configuration.closeTimeout.nanoseconds
        // Our FIN is sent, or a GOAWAY that ends the connection: the peer has the close timeout.
        let ending = link.lingerDeadline != 0 ? link.lingerDeadline : endingSince == 0 ? 0 : endingSince &+ closeTimeout
        if ending != 0 {
            if now >= ending { link.close() }
            return now >= ending ? .max : ending
        }
        let idle = lastHeard &+ configuration.idleTimeout.nanoseconds
        guard now >= idle else { return idle }
        statistics.timedOut.add(1, ordering: .relaxed)
        terminate(NGHTTP2_NO_ERROR)
        return now &+ closeTimeout
    }

    /// Starts the close timeout of a connection that is ending (GOAWAY queued).
    func startEnding() {
        guard endingSince == 0 else { return }
        endingSince = DispatchTime.now().uptimeNanoseconds
        loop.check(self, noLaterThan: endingSince &+ configuration.closeTimeout.nanoseconds)
    }

    /// Server shutdown: GOAWAY NO_ERROR naming the last stream taken
    /// (RFC 9113 §6.8); the streams in progress may finish (each WebSocket
    /// is told by its own session), then the connection closes.
    func beginShutdown() {
        guard let session else { return }
        let last = nghttp2_session_get_last_proc_stream_id(session)
        _ = nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), last, NGHTTP2_NO_ERROR.rawValue, nil, 0)
        wantsToSend()
    }

    /// The grace period is over: the socket closes now.
    func closeNow() {
        link.close()
    }
}
