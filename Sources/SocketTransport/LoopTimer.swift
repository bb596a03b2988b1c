import HeapModule

/// A timer on an event loop (``EventLoop/schedule(after:repeating:_:)``): its
/// body runs on the loop's thread when due. Confined to the loop.
public final class LoopTimer: @unchecked Sendable {
    // Every property is read and written only on its loop's thread (the loop that schedules it).
    fileprivate var deadline: UInt64
    fileprivate let interval: UInt64?
    fileprivate let body: () -> Void
    fileprivate var isCancelled = false

    /// A timer due at `deadline` (monotonic nanoseconds), then every `interval` nanoseconds.
    init(deadline: UInt64, interval: UInt64? = nil, body: @escaping () -> Void) {
        self.deadline = deadline
        self.interval = interval
        self.body = body
    }

    /// Stops the timer: its body does not run again. On the loop.
    public func cancel() { isCancelled = true }
}

extension EventLoop {
    /// Runs `body` on the loop after `delay`, and then every `interval` if
    /// given, until the returned timer is cancelled. Call on the loop.
    @discardableResult
    public func schedule(
        after delay: Duration, repeating interval: Duration? = nil, _ body: @escaping () -> Void
    ) -> LoopTimer {
        precondition(inLoop, "timers are scheduled on their loop")
        let now = Self.now()
        let timer = LoopTimer(
            deadline: now &+ min(delay.nanoseconds, .max - now), interval: interval.map { max(1, $0.nanoseconds) },
            body: body)
        timers.insert(timer)
        return timer
    }
}

/// A loop's pending timers, soonest first (cancelled ones are dropped when
/// they come up).
struct TimerQueue {
    private var heap = Heap<Entry>()
    /// Breaks ties between equal deadlines in the order timers were scheduled.
    private var nextSequence: UInt64 = 0

    private struct Entry: Comparable {
        let deadline: UInt64
        let sequence: UInt64
        let timer: LoopTimer

        static func < (lhs: Entry, rhs: Entry) -> Bool {
            (lhs.deadline, lhs.sequence) < (rhs.deadline, rhs.sequence)
        }

        static func == (lhs: Entry, rhs: Entry) -> Bool { lhs.sequence == rhs.sequence }
    }

    mutating func insert(_ timer: LoopTimer) {
        heap.insert(Entry(deadline: timer.deadline, sequence: nextSequence, timer: timer))
        nextSequence &+= 1
    }

    /// How long the loop may sleep: until the next deadline, in nanoseconds;
    /// -1 (for ever) without timers.
    mutating func nanosecondsUntilNext(now: UInt64) -> Int64 {
        while let first = heap.min, first.timer.isCancelled { heap.removeMin() }
        guard let first = heap.min else { return -1 }
        guard first.deadline > now else { return 0 }
        return Int64(clamping: first.deadline - now)
    }

    /// Takes the soonest timer due at `now`, if any; a repeating one is
    /// scheduled again (from `now` when it fell behind). The caller runs its
    /// body, outside this queue's mutation, as the body may schedule timers.
    mutating func popDue(now: UInt64) -> LoopTimer? {
        while let first = heap.min, first.deadline <= now {
            heap.removeMin()
            let timer = first.timer
            guard !timer.isCancelled else { continue }
            if let interval = timer.interval {
                timer.deadline = max(timer.deadline &+ interval, now &+ 1)
                insert(timer)
            }
            return timer
        }
        return nil
    }
}

extension LoopTimer {
    /// Runs the timer's body (on its loop).
    func fire() { body() }
}
