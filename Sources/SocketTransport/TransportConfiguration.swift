/// Limits and timeouts of the socket layer, for servers and clients.
public struct TransportConfiguration: Sendable, Hashable {
    /// Largest HTTP head accepted (431 above it). Default 16 KiB.
    public var maxHeadLength: Int = 16 * 1024
    /// Time allowed from accept to a complete request head, and for a client
    /// from connect to the 101 response (slow-loris guard). Default 10 s.
    public var handshakeTimeout: Duration = .seconds(10)
    /// Most open connections a server holds; beyond, new ones get 503. Default 16,384.
    public var maxConnections: Int = 16_384
    /// Most connections one address (IPv6: one /64) may hold open; beyond, new
    /// ones from it get 503. 0 = no limit. Default 1,024: a whole clinic behind
    /// one NAT with many groups at once fits several times over, yet one address
    /// cannot take more than 1/16 of the default `maxConnections`.
    public var maxConnectionsPerAddress: Int = 1024
    /// New connections one address may open per second on average (a token
    /// bucket refilled at this rate); beyond, 503. 0 = no limit. Default 100:
    /// under 1 % of what one core accepts, and a full NAT's bucket refills in ~10 s.
    public var handshakesPerSecondPerAddress: Double = 100
    /// The bucket's size: new connections one address may open at once.
    /// Default 1,024, so everyone behind a full NAT can reconnect together
    /// after a restart or a drain.
    public var handshakeBurstPerAddress: Double = 1024
    /// Send a ping after this long without hearing from the peer. Default 30 s.
    public var pingInterval: Duration = .seconds(30)
    /// Close a connection after this long without hearing from the peer (it
    /// ignored our pings). Default 75 s.
    public var idleTimeout: Duration = .seconds(75)
    /// Time allowed for the peer to answer our close frame, and to drain after
    /// our FIN, before the socket is closed regardless. Default 5 s.
    public var closeTimeout: Duration = .seconds(5)
    /// How often each loop looks for connections whose timeouts or keep-alive
    /// ping are due (only those are touched): how late a timeout may fire. Default 250 ms.
    public var timerResolution: Duration = .milliseconds(250)
    /// Listen backlog. Default 4,096, so a burst of connections is not refused.
    public var listenBacklog: Int32 = 4096
    /// The server's one memory budget (`MemoryBudget`): bytes it may hold for
    /// all its clients together (partial and inflated inbound messages, zlib
    /// contexts, outbound queues waiting for slow sockets). Past it, the
    /// growth is refused (1013), and upgrades are answered 503 above 90 %.
    /// Default 256 MiB: a few times what full rooms need (16,384 members with
    /// a full 1 MiB room queue each would be 16 GiB, but a queue is charged
    /// only while it waits for a slow socket), small beside a server's RAM, so
    /// a flood is refused long before the kernel's OOM killer would act.
    public var memoryBudgetBytes: Int = 256 << 20
    /// HTTP/2 (ALPN `h2`, h2c) and its limits. Default: on over TLS and from loopback peers.
    public var http2 = HTTP2Configuration()
    /// Proxies whose connections start with a PROXY protocol v2 header carrying
    /// the client's address (`ProxyHeaderParser`), which then stands for the peer
    /// in the per-address limits, logs and everything above. Default none: the
    /// PROXY protocol is off, and no connection is ever read for a header.
    public var trustedProxies = TrustedProxies()
    /// Event loops (one thread each) connections are spread over. Default: one per core.
    public var eventLoopCount: Int = EventLoopGroup.defaultLoopCount

    /// Creates the default configuration.
    public init() {}
}

extension Duration {
    /// The duration in nanoseconds, saturating.
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0 else { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : whole &+ UInt64(attoseconds / 1_000_000_000)
    }
}
