import Testing

@testable import SocketTransport

/// Timer order and timeouts, with the time given (no clock, no sleep).
@Suite struct TimerQueueTests {
    private final class Log: @unchecked Sendable {
        var fired: [String] = []
    }

    /// What the loop does each turn: runs every timer due.
    private func fire(_ queue: inout TimerQueue, now: UInt64) {
        while let timer = queue.popDue(now: now) { timer.fire() }
    }

    @Test func timersFireSoonestFirstAndOnlyWhenDue() {
        let log = Log()
        let base: UInt64 = 5_000_000_000
        var queue = TimerQueue()
        let late = LoopTimer(deadline: base + 3_000_000) { log.fired.append("late") }
        let early = LoopTimer(deadline: base + 1_000_000) { log.fired.append("early") }
        let tie = LoopTimer(deadline: base + 1_000_000) { log.fired.append("tie") }
        for timer in [late, early, tie] { queue.insert(timer) }
        #expect(queue.nanosecondsUntilNext(now: base) == 1_000_000)
        #expect(queue.nanosecondsUntilNext(now: base + 1_000_001) == 0, "a deadline passed is due now")
        fire(&queue, now: base + 999_999)
        #expect(log.fired.isEmpty)
        fire(&queue, now: base + 1_000_000)
        #expect(log.fired == ["early", "tie"], "equal deadlines fire in the order scheduled")
        late.cancel()
        #expect(queue.nanosecondsUntilNext(now: base + 1_000_000) == -1, "a cancelled timer is dropped")
        fire(&queue, now: base + 10_000_000)
        #expect(log.fired == ["early", "tie"])
    }

    @Test func aRepeatingTimerComesBackAndCatchesUpWithoutBursts() {
        let log = Log()
        var queue = TimerQueue()
        let tick = LoopTimer(deadline: 100, interval: 50) { log.fired.append("tick") }
        queue.insert(tick)
        fire(&queue, now: 100)
        #expect(log.fired.count == 1)
        #expect(queue.nanosecondsUntilNext(now: 100) == 50)
        fire(&queue, now: 1_000_000)
        #expect(log.fired.count == 2, "a late repeating timer fires once, then resumes from now")
        tick.cancel()
        fire(&queue, now: 10_000_000)
        #expect(log.fired.count == 2)
    }

    @Test func aTimerScheduledOnTheLoopRunsAndMayScheduleAnother() async {
        let group = EventLoopGroup(count: 1, label: "test.timer")
        let loop = group.loops[0]
        // A room's timer body schedules the next phase's timer (the exercise's, say).
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            loop.execute {
                loop.schedule(after: .zero) {
                    loop.schedule(after: .zero) { done.resume() }
                }
            }
        }
        group.stop()
    }
}
