import SocketTransport

/// A clock that moves only when told to: for tests and for replaying a session.
public final class ManualScheduler: ClientScheduler, Sendable {
    private struct State {
        var now: Int64
        var pending: [(id: Int, at: Int64, work: @Sendable () -> Void)] = []
        var counter = 0
    }

    private let state: LockedValue<State>

    /// Starts the clock at `start` ms since the epoch.
    public init(start: Int64 = 1_764_000_000_000) { state = LockedValue(State(now: start)) }

    /// The current fake time.
    public func nowMilliseconds() -> Int64 { state.withLock { $0.now } }

    /// Delays still waiting to run, in scheduling order.
    public var pendingDelays: [Duration] {
        state.withLock { state in state.pending.map { .milliseconds($0.at - state.now) } }
    }

    /// Records `work` to run when the clock passes `now + delay`.
    public func schedule(after delay: Duration, _ work: @escaping @Sendable () -> Void) -> any ScheduledWork {
        state.withLock { state in
            state.counter += 1
            state.pending.append((state.counter, state.now + delay.milliseconds, work))
            return ManualWork(id: state.counter, scheduler: self)
        }
    }

    /// Moves the clock forward and runs, in time order, the work that became due.
    public func advance(by duration: Duration) {
        let due: [@Sendable () -> Void] = state.withLock { state in
            state.now += duration.milliseconds
            let now = state.now
            let ready = state.pending.filter { $0.at <= now }.sorted { $0.at < $1.at }
            state.pending.removeAll { $0.at <= now }
            return ready.map(\.work)
        }
        for work in due { work() }
    }

    fileprivate func cancel(_ id: Int) { state.withLock { $0.pending.removeAll { $0.id == id } } }
}

private struct ManualWork: ScheduledWork {
    let id: Int
    let scheduler: ManualScheduler
    func cancel() { scheduler.cancel(id) }
}
