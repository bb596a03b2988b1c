import Dispatch
import Glibc

/// Work that was scheduled and can be cancelled.
public protocol ScheduledWork: Sendable {
    /// Cancels the work if it has not run yet.
    func cancel()
}

/// The client's clock and timers, injected so that reconnect backoff and
/// countdowns are tested by advancing time, never by sleeping.
public protocol ClientScheduler: Sendable {
    /// The local wall clock, in milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64
    /// Runs `work` once after `delay`.
    func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) -> any ScheduledWork
}

/// The real clock (`clock_gettime(CLOCK_REALTIME)`) and Dispatch timers.
public struct SystemScheduler: ClientScheduler {
    /// Creates the scheduler.
    public init() {}

    /// `clock_gettime(CLOCK_REALTIME)` in milliseconds.
    public func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// A `DispatchWorkItem` on a global queue after `delay`.
    public func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) -> any ScheduledWork {
        let item = DispatchWorkItem(block: work)
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(delay.milliseconds)), execute: item)
        return DispatchWork(item: item)
    }
}

/// A `DispatchWorkItem` as ``ScheduledWork``.
private struct DispatchWork: ScheduledWork, @unchecked Sendable {
    // `DispatchWorkItem.cancel` is thread-safe; the item itself is never mutated here.
    let item: DispatchWorkItem
    func cancel() { item.cancel() }
}
