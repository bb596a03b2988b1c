import Synchronization

/// How busy an event loop is, readable from any thread: the time its turns
/// took in all (busy, not waiting in `epoll_wait`) and the longest turn since
/// the last look. A loop busy near 100 % of the time, or with turns of many
/// milliseconds, delays every connection and room on it: that is what an
/// operator watches for saturation.
public final class LoopLoad: Sendable {
    private let busy = Atomic<UInt64>(0)
    private let longest = Atomic<UInt64>(0)

    init() {}

    /// Nanoseconds spent in turns since the loop started (wraps after 584 years).
    public var busyNanoseconds: UInt64 { busy.load(ordering: .relaxed) }

    /// The longest turn (ns) since the previous call, which starts a new period.
    public func takeLongestTurn() -> UInt64 {
        longest.exchange(0, ordering: .relaxed)
    }

    /// A turn took `nanoseconds`. On the loop's thread.
    func turnTook(_ nanoseconds: UInt64) {
        busy.wrappingAdd(nanoseconds, ordering: .relaxed)
        if nanoseconds > longest.load(ordering: .relaxed) { longest.store(nanoseconds, ordering: .relaxed) }
    }
}
