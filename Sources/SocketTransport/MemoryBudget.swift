import Synchronization

/// The one memory budget of a server: the bytes it may hold on behalf of its
/// clients, summed over every connection on every event loop (partial inbound
/// messages, inflated messages, zlib contexts, outbound queues left waiting
/// for a slow socket). Each connection reserves what it is about to buffer
/// and releases it when the buffer is freed (all of it when the connection
/// ends, see `BudgetAccount`); past the limit the reservation is refused and
/// the connection that asked is refused or closed with a documented code.
///
/// Cheap on the hot path: one relaxed atomic compare-and-exchange per
/// reservation, one atomic subtraction per release, no lock. A message that
/// arrives whole in one read and a frame written in the turn it was queued
/// reserve nothing at all.
public final class MemoryBudget: Sendable {
    /// What a refusal refused, for metrics.
    public enum Refusal: Sendable, Hashable, CaseIterable {
        /// A partial or inflated inbound message could not grow: closed with 1013.
        case inbound
        /// An outbound queue could not grow: the slow consumer is closed with 1013.
        case outbound
        /// A WebSocket upgrade while the budget was nearly spent: HTTP 503.
        case handshake
    }

    /// The most bytes that may be reserved at once.
    public let limit: Int
    private let used = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)
    private let inboundRefusals = Atomic<Int>(0)
    private let outboundRefusals = Atomic<Int>(0)
    private let handshakeRefusals = Atomic<Int>(0)

    /// Creates a budget of `limit` bytes (a positive number).
    public init(limit: Int) {
        precondition(limit > 0, "a memory budget must be positive")
        self.limit = limit
    }

    /// Bytes reserved now.
    public var usedBytes: Int { used.load(ordering: .relaxed) }

    /// The most bytes ever reserved at once (never above `limit`).
    public var peakBytes: Int { peak.load(ordering: .relaxed) }

    /// Whether new WebSocket connections should be refused: more than 90 % is
    /// reserved, so what is left goes to the connections already open.
    public var isNearlyExhausted: Bool { usedBytes > limit - limit / 10 }

    /// Reserves `bytes`, or returns false (reserving nothing) if they would
    /// take the total past `limit`.
    public func reserve(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        var current = used.load(ordering: .relaxed)
        while true {
            guard bytes <= limit - current else { return false }
            let (exchanged, original) = used.weakCompareExchange(
                expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged {
                if current + bytes > peak.load(ordering: .relaxed) { peak.max(current + bytes, ordering: .relaxed) }
                return true
            }
            current = original
        }
    }

    /// Gives back `bytes` reserved earlier.
    public func release(_ bytes: Int) {
        guard bytes > 0 else { return }
        used.subtract(bytes, ordering: .relaxed)
    }

    /// Counts one refusal.
    public func count(_ refusal: Refusal) {
        switch refusal {
        case .inbound: inboundRefusals.add(1, ordering: .relaxed)
        case .outbound: outboundRefusals.add(1, ordering: .relaxed)
        case .handshake: handshakeRefusals.add(1, ordering: .relaxed)
        }
    }

    /// Refusals of one kind since start.
    public func refusals(_ refusal: Refusal) -> Int {
        switch refusal {
        case .inbound: inboundRefusals.load(ordering: .relaxed)
        case .outbound: outboundRefusals.load(ordering: .relaxed)
        case .handshake: handshakeRefusals.load(ordering: .relaxed)
        }
    }
}
