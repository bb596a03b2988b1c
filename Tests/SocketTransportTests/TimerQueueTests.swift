import Testing

@testable import SocketTransport

/// Timer order and timeouts, with the time given (no clock, no sleep).
@Suite struct TimerQueueTests {
    private final class Log: @unchecked Sendable {
        var fired: [String] = []
    }

    @Test func timersFireSoonestFirstAndOnlyWhenDue() {
        let log = Log()
        let base: UInt64 = 5_000_000_000
        var queue = TimerQueue()
        let late = LoopTimer(deadline: base + 3_000_000) { log.fired.append("late") }
        let early = LoopTimer(deadline: base + 1_000_000) { log.fired.append("early") }
        let tie = LoopTimer(deadline: base + 1_000_000) { log.fired.append("tie") }
        for timer in [late, early, tie] { queue.insert(timer) }
        #expect(queue.millisecondsUntilNext(now: base) == 1)
        #expect(queue.millisecondsUntilNext(now: base + 1) == 1, "rounded up, never early")
        queue.fireDue(now: base + 999_999)
        #expect(log.fired.isEmpty)
        queue.fireDue(now: base + 1_000_000)
        #expect(log.fired == ["early", "tie"], "equal deadlines fire in the order scheduled")
        late.cancel()
        #expect(queue.millisecondsUntilNext(now: base + 1_000_000) == -1, "a cancelled timer is dropped")
        queue.fireDue(now: base + 10_000_000)
        #expect(log.fired == ["early", "tie"])
    }

    @Test func aRepeatingTimerComesBackAndCatchesUpWithoutBursts() {
        let log = Log()
        var queue = TimerQueue()
        let tick = LoopTimer(deadline: 100, interval: 50) { log.fired.append("tick") }
        queue.insert(tick)
        queue.fireDue(now: 100)
        #expect(log.fired.count == 1)
        #expect(queue.millisecondsUntilNext(now: 100) == 1)
        queue.fireDue(now: 1_000_000)
        #expect(log.fired.count == 2, "a late repeating timer fires once, then resumes from now")
        tick.cancel()
        queue.fireDue(now: 10_000_000)
        #expect(log.fired.count == 2)
    }

    @Test func aTimerScheduledOnTheLoopRuns() async {
        let group = EventLoopGroup(count: 1, label: "test.timer")
        let loop = group.loops[0]
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            loop.execute {
                loop.schedule(after: .zero) { done.resume() }
            }
        }
    }
}
