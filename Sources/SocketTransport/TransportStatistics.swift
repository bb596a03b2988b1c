import Synchronization

/// Counters the socket layer keeps, for metrics. Safe to read from any thread.
public final class TransportStatistics: Sendable {
    /// Connections open now (any phase).
    public let openConnections = Atomic<Int>(0)
    /// Connections accepted since start.
    public let acceptedConnections = Atomic<Int>(0)
    /// Connections refused with 503 because `maxConnections` was reached.
    public let refusedOverCapacity = Atomic<Int>(0)
    /// Connections refused with 503 because their address held `maxConnectionsPerAddress`.
    public let refusedAddressConnections = Atomic<Int>(0)
    /// Connections refused with 503 because their address opened them faster
    /// than `handshakesPerSecondPerAddress` (bursts of `handshakeBurstPerAddress`).
    public let refusedAddressHandshakeRate = Atomic<Int>(0)
    /// Requests refused before an upgrade (400, 404, 405, 408, 426, 431 and router refusals).
    public let refusedRequests = Atomic<Int>(0)
    /// WebSocket handshakes completed.
    public let upgradedConnections = Atomic<Int>(0)
    /// Peers that broke RFC 6455 and were failed with 1002/1007/1009.
    public let protocolViolations = Atomic<Int>(0)
    /// Peers closed because their outbound queue overflowed (1013).
    public let slowConsumersDropped = Atomic<Int>(0)
    /// Connections closed for silence (ping unanswered) or a stalled handshake.
    public let timedOut = Atomic<Int>(0)
    /// TLS handshakes completed.
    public let tlsHandshakesCompleted = Atomic<Int>(0)
    /// TLS handshakes that failed (bad certificate, old protocol, plain HTTP on a TLS port...).
    public let tlsHandshakeFailures = Atomic<Int>(0)
    /// Connections from a trusted proxy whose PROXY protocol header was read.
    public let proxyHeadersAccepted = Atomic<Int>(0)
    /// Connections from a trusted proxy closed for a missing, malformed or
    /// unfinished PROXY protocol header (within the handshake timeout).
    public let proxyHeaderFailures = Atomic<Int>(0)

    /// HTTP/2 connections, streams and the refusals of its limits.
    public let http2 = HTTP2Statistics()

    /// Creates zeroed counters.
    public init() {}
}
