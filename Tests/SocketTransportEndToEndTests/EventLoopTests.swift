import Dispatch
import Glibc
import Testing

@testable import SocketTransport

/// The event loop's own thread: work queued from anywhere runs on it, in
/// order; `sync` waits; the group's threads end with it.
@Suite struct EventLoopTests {
    @Test func workQueuedFromOneThreadRunsInOrderOnTheLoop() {
        let group = EventLoopGroup(count: 1, label: "test.order")
        let loop = group.loops[0]
        let seen = LockedValue<[Int]>([])
        for index in 0..<1000 {
            loop.async {
                precondition(loop.inLoop)
                seen.withLock { $0.append(index) }
            }
        }
        loop.sync {}
        #expect(seen.current == Array(0..<1000))
    }

    @Test func workQueuedOnTheLoopRunsAfterTheWorkQueuingIt() {
        let group = EventLoopGroup(count: 1, label: "test.nested")
        let loop = group.loops[0]
        let steps = LockedValue<[String]>([])
        loop.sync {
            loop.async { steps.withLock { $0.append("queued") } }
            loop.execute { steps.withLock { $0.append("executed at once") } }
            steps.withLock { $0.append("after queuing") }
        }
        loop.sync {}
        #expect(steps.current == ["executed at once", "after queuing", "queued"])
    }

    /// Work queued from another thread joins the next turn, so a second `sync`
    /// returns only after the turn of the first was counted.
    @Test func aLongTurnShowsInTheLoopsLoad() {
        let group = EventLoopGroup(count: 1, label: "test.load")
        let loop = group.loops[0]
        loop.sync {}
        loop.sync {}
        _ = loop.load.takeLongestTurn()  // a fresh period
        let busyBefore = loop.load.busyNanoseconds
        loop.sync { _ = usleep(100_000) }  // one turn of at least 100 ms (a stand-in for heavy work)
        loop.sync {}
        #expect(loop.load.takeLongestTurn() >= 100_000_000)
        #expect(loop.load.busyNanoseconds - busyBefore >= 100_000_000)
        loop.sync {}
        loop.sync {}
        #expect(loop.load.takeLongestTurn() < 100_000_000, "each look starts a new period")
    }

    @Test func syncReturnsTheValueFromManyThreadsAtOnce() async {
        let group = EventLoopGroup(count: 2, label: "test.sync")
        let total = LockedValue(0)
        await withTaskGroup(of: Int.self) { tasks in
            for index in 0..<200 {
                tasks.addTask { group.loops[index % 2].sync { index } }
            }
            for await value in tasks { total.withLock { $0 += value } }
        }
        #expect(total.current == (0..<200).reduce(0, +))
    }

    @Test func aStoppedLoopsThreadEnds() {
        let ended = DispatchSemaphore(value: 0)
        weak var weakLoop: EventLoop?
        do {
            let group = EventLoopGroup(count: 1, label: "test.stop")
            weakLoop = group.loops[0]
            group.loops[0].sync {}
            group.stop()
        }
        // The thread held the loop while running; once it exits the loop is freed.
        for _ in 0..<500 where weakLoop != nil { _ = ended.wait(timeout: .now() + .milliseconds(10)) }
        #expect(weakLoop == nil)
    }

    @Test func loopsOutliveTheirGroupUntilStopped() {
        let loop = EventLoopGroup(count: 1, label: "test.outlive").loops[0]
        #expect(loop.sync { EventLoop.current } === loop)
        loop.stop()
    }
}
