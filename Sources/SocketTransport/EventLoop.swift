import Dispatch
import Glibc
import Synchronization

/// One thread that owns a set of connections and the work that shares them
/// (rooms): their state is touched only on this thread, so it needs no lock.
/// Connections are spread over a few loops (one per core), never one thread
/// per connection.
///
/// The thread blocks in `epoll_wait` on the loop's own epoll instance
/// (`Poller`), which watches its sockets and a wake-up descriptor; each turn
/// it handles the ready sockets, then the timers that are due, then the work
/// queued with ``async(_:)`` (and what that work queues in turn), then writes
/// what the turn queued for each connection. A ready socket costs one thread wake-up (Dispatch's sources
/// cost two: its manager thread, then the queue's).
public final class EventLoop: @unchecked Sendable {
    // Mutable state below is confined to the loop's thread, except `remote`.

    /// The loop's name (its thread's, shortened to what Linux keeps).
    public let label: String
    /// One read buffer shared by all connections of the loop: a connection
    /// holds no read buffer of its own while idle.
    let scratch: UnsafeMutableRawBufferPointer
    /// Watches the sockets of this loop's connections, and `wakeSignal`.
    let poller = Poller()
    /// A registered connection (a socket channel or a WebSocket session), and
    /// when its deadlines next need a look (uptime ns).
    struct Watched {
        let connection: any DeadlineKeeper
        var checkAt: UInt64
    }

    private(set) var connections: [ObjectIdentifier: Watched] = [:]
    /// Connections with bytes queued this turn, written together at its end.
    private var pendingFlushes: [any EndOfTurnWriter] = []
    /// The connections being written (kept to reuse its storage).
    private var flushing: [any EndOfTurnWriter] = []
    /// Work queued from the loop's own thread, run in order this turn.
    private var local: [@Sendable () -> Void] = []
    /// The work being run (kept to reuse its storage).
    private var running: [@Sendable () -> Void] = []
    /// Work queued from other threads, and whether the loop has been woken for it.
    private let remote = LockedValue(RemoteWork())
    private let wakeSignal: WakeSignal
    var timers = TimerQueue()
    private var sweepTimer: LoopTimer?
    /// The connections a sweep is checking (kept to reuse its storage).
    private var sweeping: [any DeadlineKeeper] = []
    private let stopping = Atomic<Bool>(false)
    /// How busy this loop is (for metrics; safe from any thread).
    public let load = LoopLoad()

    init(label: String, scratchSize: Int = 256 * 1024) {
        self.label = label
        scratch = .allocate(byteCount: scratchSize, alignment: 16)
        wakeSignal = WakeSignal()
        poller.watch(wakeSignal.descriptor, by: wakeSignal, from: .none, to: .readable)
        startThread()
    }

    deinit {
        scratch.deallocate()
    }

    /// The loop the caller runs on; nil on any other thread.
    public static var current: EventLoop? {
        guard let pointer = pthread_getspecific(LoopThread.key) else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(pointer).takeUnretainedValue()
    }

    /// Whether the caller is running on this loop's thread.
    var inLoop: Bool { pthread_getspecific(LoopThread.key) == Unmanaged.passUnretained(self).toOpaque() }

    /// Runs `body` on the loop: now if already on it, else asynchronously.
    public func execute(_ body: @escaping @Sendable () -> Void) {
        if inLoop { body() } else { async(body) }
    }

    /// Runs `body` on the loop later in this turn (from the loop) or in its
    /// next turn (from any other thread). Work queued from one thread runs in
    /// the order it was queued.
    public func async(_ body: @escaping @Sendable () -> Void) {
        if inLoop {
            local.append(body)
            return
        }
        let wake = remote.withLock { work in
            work.bodies.append(body)
            defer { work.woken = true }
            return !work.woken
        }
        if wake { wakeSignal.signal() }
    }

    /// Runs `body` on the loop and waits for it (at once when called on the
    /// loop). Never call it from another loop's thread while this loop may wait
    /// for that one: two loops waiting on each other never return.
    public func sync<Result>(_ body: () -> Result) -> Result {
        if inLoop { return body() }
        return withoutActuallyEscaping(body) { body in
            let work = SyncWork(body)
            async { work.run() }
            return work.wait()
        }
    }

    /// Asks the loop's thread to finish its current turn and exit. Connections
    /// still open are not closed (callers shut them down first), and work
    /// queued afterwards never runs.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        wakeSignal.signal()
    }

    /// Watches `connection`'s deadlines; the first check is due at `checkAt`.
    func register(_ connection: any DeadlineKeeper, checkAt: UInt64) {
        connections[ObjectIdentifier(connection)] = Watched(connection: connection, checkAt: checkAt)
    }

    func unregister(_ connection: any DeadlineKeeper) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Brings `connection`'s next check forward to `time` if it was due later
    /// (a deadline was set sooner than the check planned).
    func check(_ connection: any DeadlineKeeper, noLaterThan time: UInt64) {
        guard let index = connections.index(forKey: ObjectIdentifier(connection)) else { return }
        if connections.values[index].checkAt > time { connections.values[index].checkAt = time }
    }

    /// Writes `connection`'s queue at the end of the loop's current turn, with
    /// every other connection that queued bytes in this turn: what a turn
    /// produces for one connection leaves in one `send(2)`.
    func flushAtEndOfTurn(_ connection: any EndOfTurnWriter) {
        pendingFlushes.append(connection)
    }

    /// Starts the timer that looks for connections whose deadlines are due,
    /// every `interval`. On the loop.
    func startSweeping(every interval: Duration) {
        guard sweepTimer == nil else { return }
        sweepTimer = schedule(after: interval, repeating: interval) { [unowned self] in sweep(now: Self.now()) }
    }

    /// Checks the connections whose next check is due at `now`; returns how many.
    ///
    /// The others are passed over without touching their objects: each keeps
    /// its next check here, beside its key (a connection in a chat is due only
    /// when a keep-alive ping would be, every 30 s by default). Touching all
    /// 10,000 connections every 250 ms cost ~2 % of the server's CPU at the
    /// `10k` load (perf), a cold cache line each. Due ones are collected first:
    /// a check may close a connection, which then leaves `connections`.
    @discardableResult
    func sweep(now: UInt64) -> Int {
        var index = connections.startIndex
        while index != connections.endIndex {
            if connections.values[index].checkAt <= now { sweeping.append(connections.values[index].connection) }
            connections.formIndex(after: &index)
        }
        for connection in sweeping {
            let next = connection.checkDeadlines(now: now)
            if let index = connections.index(forKey: ObjectIdentifier(connection)) {
                connections.values[index].checkAt = next
            }
        }
        let checked = sweeping.count
        sweeping.removeAll(keepingCapacity: true)
        return checked
    }

    // MARK: The loop's thread

    private func startThread() {
        LoopThread.start(name: label) { [self] in
            pthread_setspecific(LoopThread.key, Unmanaged.passUnretained(self).toOpaque())
            run()
        }
    }

    private func run() {
        while !stopping.load(ordering: .relaxed) {
            // Work or writes queued by the last turn's end (a flush that queued more) go now.
            let idle = local.isEmpty && pendingFlushes.isEmpty
            let timeout = idle ? timers.nanosecondsUntilNext(now: Self.now()) : 0
            poller.poll(timeoutNanoseconds: timeout)
            let now = Self.now()
            while let timer = timers.popDue(now: now) { timer.fire() }
            runQueuedWork()
            flushPending()
            load.turnTook(Self.now() &- now)
        }
        sweepTimer?.cancel()
    }

    /// Rounds of work queued by work a turn runs (a token check's task queuing the
    /// room's greeting, say); what is queued beyond them waits for the next turn, so
    /// work that keeps queuing work cannot hold the loop's I/O back.
    static let workRoundsPerTurn = 8

    /// Runs the queued work (remote work first joins the local queue), then the work
    /// that queues, for up to ``workRoundsPerTurn`` rounds: the turn's writes then
    /// carry everything the turn produced (a 101 and the room's greeting in one `send`).
    private func runQueuedWork() {
        let arrived = remote.withLock { work in
            work.woken = false
            return work.bodies.isEmpty ? [] : work.take()
        }
        if !arrived.isEmpty { local.append(contentsOf: arrived) }
        for _ in 0..<Self.workRoundsPerTurn where !local.isEmpty {
            swap(&running, &local)
            for body in running { body() }
            running.removeAll(keepingCapacity: true)
        }
    }

    private func flushPending() {
        guard !pendingFlushes.isEmpty else { return }
        swap(&flushing, &pendingFlushes)
        for connection in flushing { connection.flush() }
        flushing.removeAll(keepingCapacity: true)
    }

    /// Monotonic nanoseconds (the clock connection deadlines use).
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// Work queued for a loop from other threads.
private struct RemoteWork {
    var bodies: [@Sendable () -> Void] = []
    /// Whether the loop's wake-up descriptor was signalled since it last took
    /// the work: further work needs no second signal.
    var woken = false

    mutating func take() -> [@Sendable () -> Void] {
        defer { bodies = [] }
        return bodies
    }
}

/// Work a caller of ``EventLoop/sync(_:)`` waits for, and its result.
private final class SyncWork<Value>: @unchecked Sendable {
    // `body` runs once on the loop while the caller waits, and is released
    // before the caller goes on (it must not outlive `sync`); `result` is
    // written before `done` is signalled and read after.
    private var body: (() -> Value)?
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping () -> Value) { self.body = body }

    func run() {
        result = body?()
        body = nil
        done.signal()
    }

    func wait() -> Value {
        done.wait()
        return result!
    }
}

/// Swift tasks started with a loop as their executor preference
/// (`Task(executorPreference:)`) run on the loop's thread, and so do the
/// default actors they call. Work a connection waits for (a token check) then
/// never waits for a thread of the shared concurrency pool, which blocking
/// code elsewhere in the process could be holding, and costs no thread switch.
/// Never use it for work that blocks.
extension EventLoop: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
