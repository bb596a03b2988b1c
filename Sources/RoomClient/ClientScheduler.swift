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

/// A clock that moves only when told to: for tests and for replaying a session.
public final class ManualScheduler: ClientScheduler, @unchecked Sendable {
    // `now`, `pending` and `counter` are guarded by `lock`.
    private let lock = ClientLock()
    private var now: Int64
    private var pending: [(id: Int, at: Int64, work: @Sendable () -> Void)] = []
    private var counter = 0

    /// Starts the clock at `start` ms since the epoch.
    public init(start: Int64 = 1_764_000_000_000) { now = start }

    /// The current fake time.
    public func nowMilliseconds() -> Int64 { lock.withLock { now } }

    /// Delays still waiting to run, in scheduling order.
    public var pendingDelays: [Duration] {
        lock.withLock { pending.map { .milliseconds($0.at - now) } }
    }

    /// Records `work` to run when the clock passes `now + delay`.
    public func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) -> any ScheduledWork {
        lock.withLock {
            counter += 1
            pending.append((counter, now + delay.milliseconds, work))
            return ManualWork(id: counter, scheduler: self)
        }
    }

    /// Moves the clock forward and runs, in time order, the work that became due.
    public func advance(by duration: Duration) {
        let due: [@Sendable () -> Void] = lock.withLock {
            now += duration.milliseconds
            let ready = pending.filter { $0.at <= now }.sorted { $0.at < $1.at }
            pending.removeAll { $0.at <= now }
            return ready.map(\.work)
        }
        for work in due { work() }
    }

    fileprivate func cancel(_ id: Int) { lock.withLock { pending.removeAll { $0.id == id } } }
}

private struct ManualWork: ScheduledWork {
    let id: Int
    let scheduler: ManualScheduler
    func cancel() { scheduler.cancel(id) }
}

/// A pthread mutex (STYLE §4: TSan-friendly, unlike `Synchronization.Mutex`).
public final class ClientLock: @unchecked Sendable {
    // The pthread mutex is the protection itself; it is only used through `withLock`.
    private var mutex = pthread_mutex_t()

    /// Creates an unlocked lock.
    public init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    /// Runs `body` holding the lock.
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
