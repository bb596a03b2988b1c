import Logging
import WebSocketCore

/// Opens WebSockets so that those to the same server share one HTTP/2
/// connection (RFC 8441: each WebSocket one extended CONNECT stream), when
/// the server speaks h2: selected in ALPN over TLS, or h2c with prior
/// knowledge when the request asks for it. Otherwise (HTTP/1.1, plain
/// `ws://` without prior knowledge, `http2: .off`) each WebSocket has a
/// connection of its own, exactly as `WebSocketClient.connect`.
///
/// One connection per (host, port, TLS settings, HTTP/2 mode). While its
/// first connection is being made, further requests to the same server
/// wait for it; if the server then turns out to speak HTTP/1.1 only, each
/// waiting request opens a connection of its own. Closing one WebSocket
/// leaves the others; the connection goes when its last stream closes. When
/// the connection dies, every WebSocket on it is told (its handler's close,
/// with no code), so each caller reconnects on its own; the next request
/// makes a new connection. All of it on one event loop.
public final class WebSocketClientPool: @unchecked Sendable {
    // `entries` is confined to `loop`'s thread (every call hops there).
    /// Which server a connection is to.
    private struct Key: Hashable {
        let host: String
        let port: Int
        let tls: TLSClientConfiguration?
        let http2: HTTP2ClientMode
    }

    /// A server's connection: being made (with the requests waiting for
    /// it), or up and taking streams.
    private enum Entry {
        case connecting([HTTP2OpenRequest])
        case connected(HTTP2ClientConnection)
    }

    /// The loop every connection of the pool runs on.
    public let loop: EventLoop
    private let configuration: TransportConfiguration
    private let statistics: TransportStatistics
    private let logger: Logger
    private var entries: [Key: Entry] = [:]

    /// A pool whose connections run on `loop` with `configuration`.
    public init(
        loop: EventLoop, configuration: TransportConfiguration = TransportConfiguration(),
        statistics: TransportStatistics = TransportStatistics(), logger: Logger = Logger(label: "iop.client")
    ) {
        self.loop = loop
        self.configuration = configuration
        self.statistics = statistics
        self.logger = logger
    }

    /// Opens a WebSocket for `request`, as a new stream of the server's
    /// shared HTTP/2 connection when there is (or will be) one; `completion`
    /// runs on the loop exactly once, as for `WebSocketClient.connect`.
    public func connect(
        _ request: WebSocketClientRequest, handler: any WebSocketHandler,
        options: WebSocketEndpointOptions = WebSocketEndpointOptions(),
        completion: @escaping @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void
    ) {
        let open = HTTP2OpenRequest(request: request, handler: handler, options: options, completion: completion)
        loop.execute { [self] in self.open(open) }
    }

    /// HTTP/2 connections the pool holds now (open or being made), for tests and metrics.
    public var connectionCount: Int { loop.sync { entries.count } }

    /// Drops every shared connection now, as a network failure would: each
    /// WebSocket on them sees its close (no code). For tests and for a
    /// client that knows its network changed.
    public func interrupt() {
        loop.execute { [self] in
            for case .connected(let connection) in entries.values { connection.link.close() }
        }
    }

    private func open(_ open: HTTP2OpenRequest) {
        let request = open.request
        guard request.http2 != .off, request.tls != nil || request.http2 == .priorKnowledge else {
            return dedicated(open)
        }
        let key = Key(host: request.host, port: request.port, tls: request.tls, http2: request.http2)
        switch entries[key] {
        case .connected(let connection) where connection.acceptsStreams:
            connection.open(open)
        case .connecting(let waiting):
            entries[key] = .connecting(waiting + [open])
        case .connected, nil:
            start(open, key: key)
        }
    }

    /// Makes the server's connection with `first`, the request that found none.
    private func start(_ first: HTTP2OpenRequest, key: Key) {
        entries[key] = .connecting([])
        WebSocketClient.connect(
            first.request, handler: first.handler, loop: loop, configuration: configuration, options: first.options,
            statistics: statistics, logger: logger,
            adopt: { [self] connection in adopted(connection, key: key) },
            completion: { [self] result in
                first.completion(result)
                settled(key)
            })
    }

    /// The server selected h2: the connection is shared from now on, and the
    /// requests that waited for it become its streams.
    private func adopted(_ connection: HTTP2ClientConnection, key: Key) {
        guard case .connecting(let waiting) = entries[key] else { return }
        entries[key] = .connected(connection)
        connection.onRetire = { [weak self, weak connection] in
            guard let self, let connection else { return }
            self.retired(connection, key: key)
        }
        waiting.forEach(connection.open)
    }

    /// The first request is answered. Still `.connecting` means no HTTP/2
    /// connection came of it (HTTP/1.1, or no connection at all): each
    /// waiting request tries on its own.
    private func settled(_ key: Key) {
        guard case .connecting(let waiting) = entries[key] else { return }
        entries[key] = nil
        waiting.forEach(dedicated)
    }

    /// The connection takes no more streams (GOAWAY, closed, idle): the next request makes a new one.
    private func retired(_ connection: HTTP2ClientConnection, key: Key) {
        guard case .connected(let current) = entries[key], current === connection else { return }
        entries[key] = nil
    }

    private func dedicated(_ open: HTTP2OpenRequest) {
        WebSocketClient.connect(
            open.request, handler: open.handler, loop: loop, configuration: configuration, options: open.options,
            statistics: statistics, logger: logger, completion: open.completion)
    }
}
