/// Limits and timeouts of the socket layer, for servers and clients.
public struct TransportConfiguration: Sendable, Hashable {
    /// Largest HTTP head accepted (431 above it). Default 16 KiB.
    public var maxHeadLength: Int = 16 * 1024
    /// Time allowed from accept to a complete request head, and for a client
    /// from connect to the 101 response (slow-loris guard). Default 10 s.
    public var handshakeTimeout: Duration = .seconds(10)
    /// Most open connections a server holds; beyond, new ones get 503. Default 16,384.
    public var maxConnections: Int = 16_384
    /// Send a ping after this long without hearing from the peer. Default 30 s.
    public var pingInterval: Duration = .seconds(30)
    /// Close a connection after this long without hearing from the peer (it
    /// ignored our pings). Default 75 s.
    public var idleTimeout: Duration = .seconds(75)
    /// Time allowed for the peer to answer our close frame, and to drain after
    /// our FIN, before the socket is closed regardless. Default 5 s.
    public var closeTimeout: Duration = .seconds(5)
    /// How often timeouts are checked. Default 250 ms.
    public var timerResolution: Duration = .milliseconds(250)
    /// Listen backlog. Default 4,096, so a burst of connections is not refused.
    public var listenBacklog: Int32 = 4096
    /// Event loops (serial queues) connections are spread over. Default: one per core.
    public var eventLoopCount: Int = EventLoopGroup.defaultLoopCount

    /// Creates the default configuration.
    public init() {}
}

extension Duration {
    /// The duration in nanoseconds, saturating.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) &* 1_000_000_000 &+ UInt64(attoseconds / 1_000_000_000)
    }
}
