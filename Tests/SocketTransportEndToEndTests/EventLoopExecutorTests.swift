import Testing

@testable import SocketTransport

/// An event loop as a task executor: a task that prefers it, and the default
/// actors that task calls, run on the loop's queue.
@Suite struct EventLoopExecutorTests {
    private actor Counter {
        var value = 0
        func increment() -> (value: Int, onLoop: EventLoop?) {
            value += 1
            return (value, EventLoop.current)
        }
    }

    @Test func aTaskPreferringALoopRunsOnItAndSoDoesTheActorItCalls() async {
        let group = EventLoopGroup(count: 2, label: "test.executor")
        let loop = group.loops[1]
        let counter = Counter()
        let seen = await Task(executorPreference: loop) { () -> (EventLoop?, EventLoop?, Int) in
            let before = EventLoop.current
            let (value, inActor) = await counter.increment()
            return (before, inActor, value)
        }.value
        #expect(seen.0 === loop)
        #expect(seen.1 === loop, "the actor's code ran on the preferred loop")
        #expect(seen.2 == 1)
        #expect(EventLoop.current == nil, "the test itself is on no loop")
    }

    @Test func currentIsTheLoopOnItsThreadAndNilElsewhere() {
        let group = EventLoopGroup(count: 2, label: "test.current")
        #expect(group.loops[0].sync { EventLoop.current } === group.loops[0])
        #expect(group.loops[1].sync { EventLoop.current } === group.loops[1])
        #expect(group.loops[0].sync { group.loops[0].inLoop && !group.loops[1].inLoop })
        #expect(EventLoop.current == nil)
    }
}
