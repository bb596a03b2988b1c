import Synchronization

/// HTTP/2 counters of a server, for metrics (`TransportStatistics.http2`).
/// Safe to read from any thread. Labels of these counters name the limit only.
public final class HTTP2Statistics: Sendable {
    /// A limit that refused or closed something.
    public enum Refusal: String, Sendable, Hashable, CaseIterable {
        /// A stream over SETTINGS_MAX_CONCURRENT_STREAMS (RST_STREAM REFUSED_STREAM).
        case concurrentStreams = "concurrent_streams"
        /// A header list over SETTINGS_MAX_HEADER_LIST_SIZE (the stream is reset).
        case headerListSize = "header_list_size"
        /// Too many streams reset by the client in the window (GOAWAY ENHANCE_YOUR_CALM).
        case rapidReset = "rapid_reset"
        /// Too many frames without progress in the window (GOAWAY ENHANCE_YOUR_CALM).
        case idleFrames = "idle_frames"
        /// The connection's write queue went over its limit (closed).
        case writeQueue = "write_queue"
        /// nghttp2 could not allocate within the memory budget (GOAWAY, closed).
        case memoryBudget = "memory_budget"
        /// nghttp2 found the peer broke HTTP/2 (GOAWAY PROTOCOL_ERROR and friends).
        case protocolError = "protocol_error"
    }

    /// HTTP/2 connections since start (TLS with ALPN h2, or h2c).
    public let connections = Atomic<Int>(0)
    /// HTTP/2 connections open now.
    public let openConnections = Atomic<Int>(0)
    /// Streams the clients opened since start.
    public let streams = Atomic<Int>(0)
    /// Extended CONNECT streams that became WebSockets (RFC 8441).
    public let webSocketStreams = Atomic<Int>(0)
    private let concurrentStreams = Atomic<Int>(0)
    private let headerListSize = Atomic<Int>(0)
    private let rapidReset = Atomic<Int>(0)
    private let idleFrames = Atomic<Int>(0)
    private let writeQueue = Atomic<Int>(0)
    private let memoryBudget = Atomic<Int>(0)
    private let protocolError = Atomic<Int>(0)

    /// Creates zeroed counters.
    public init() {}

    /// Counts one refusal of `kind`.
    public func count(_ kind: Refusal) {
        switch kind {
        case .concurrentStreams: concurrentStreams.add(1, ordering: .relaxed)
        case .headerListSize: headerListSize.add(1, ordering: .relaxed)
        case .rapidReset: rapidReset.add(1, ordering: .relaxed)
        case .idleFrames: idleFrames.add(1, ordering: .relaxed)
        case .writeQueue: writeQueue.add(1, ordering: .relaxed)
        case .memoryBudget: memoryBudget.add(1, ordering: .relaxed)
        case .protocolError: protocolError.add(1, ordering: .relaxed)
        }
    }

    /// Refusals of `kind` since start.
    public func refusals(_ kind: Refusal) -> Int {
        switch kind {
        case .concurrentStreams: concurrentStreams.load(ordering: .relaxed)
        case .headerListSize: headerListSize.load(ordering: .relaxed)
        case .rapidReset: rapidReset.load(ordering: .relaxed)
        case .idleFrames: idleFrames.load(ordering: .relaxed)
        case .writeQueue: writeQueue.load(ordering: .relaxed)
        case .memoryBudget: memoryBudget.load(ordering: .relaxed)
        case .protocolError: protocolError.load(ordering: .relaxed)
        }
    }
}
