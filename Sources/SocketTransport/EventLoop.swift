import Dispatch
import Glibc
import Synchronization

/// One serial Dispatch queue that owns a set of connections: their state is
/// touched only on this queue, so it needs no lock. Connections are spread
/// over a few loops (one per core), never one thread per connection. Their
/// sockets are watched by the loop's own epoll instance (`Poller`).
public final class EventLoop: @unchecked Sendable {
    // Mutable state below is confined to `queue`.

    /// The serial queue every connection of this loop runs on.
    let queue: DispatchQueue
    /// One read buffer shared by all connections of the loop: a connection
    /// holds no read buffer of its own while idle.
    let scratch: UnsafeMutableRawBufferPointer
    /// Watches the sockets of this loop's connections.
    let poller = Poller()
    private(set) var connections: [ObjectIdentifier: WebSocketConnection] = [:]
    /// Connections with bytes queued this turn, written together at its end.
    private var pendingFlushes: [WebSocketConnection] = []
    private var sweepTimer: DispatchSourceTimer?
    /// Two keys for one fact: `inLoop` (every send) compares an identifier;
    /// `current` must hand out the loop itself, which costs a weak load.
    private static let key = DispatchSpecificKey<ObjectIdentifier>()
    private static let currentKey = DispatchSpecificKey<LoopReference>()

    init(label: String, scratchSize: Int = 256 * 1024) {
        queue = DispatchQueue(label: label)
        scratch = .allocate(byteCount: scratchSize, alignment: 16)
        queue.setSpecific(key: Self.key, value: ObjectIdentifier(self))
        queue.setSpecific(key: Self.currentKey, value: LoopReference(self))
        poller.start(on: queue)
    }

    /// The loop the caller runs on (its queue, or a queue made by
    /// ``makeSerialQueue(label:)``); nil on any other thread.
    public static var current: EventLoop? { DispatchQueue.getSpecific(key: currentKey)?.loop }

    deinit {
        sweepTimer?.cancel()
        scratch.deallocate()
    }

    /// Whether the caller is running on this loop's queue.
    var inLoop: Bool { DispatchQueue.getSpecific(key: Self.key) == ObjectIdentifier(self) }

    /// Runs `body` on the loop: now if already on it, else asynchronously.
    public func execute(_ body: @escaping @Sendable () -> Void) {
        if inLoop { body() } else { queue.async(execute: body) }
    }

    /// A serial queue whose work runs on this loop's thread, between its I/O: work
    /// there and this loop's connections never cross threads, and a `send` from it
    /// to one of them is written in the same turn, without a hop.
    public func makeSerialQueue(label: String) -> DispatchQueue {
        DispatchQueue(label: label, target: queue)
    }

    func register(_ connection: WebSocketConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    func unregister(_ connection: WebSocketConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Writes `connection`'s queue at the end of the loop's current turn (the
    /// next block on its queue), with every other connection that queued bytes
    /// in this turn: what a turn produces for one connection leaves in one `send(2)`.
    func flushAtEndOfTurn(_ connection: WebSocketConnection) {
        pendingFlushes.append(connection)
        if pendingFlushes.count == 1 {
            queue.async { [unowned self] in flushPending() }
        }
    }

    private func flushPending() {
        let connections = pendingFlushes
        pendingFlushes.removeAll(keepingCapacity: true)
        for connection in connections { connection.flush() }
    }

    /// Starts the timer that checks every connection's deadlines.
    func startSweeping(every interval: Duration) {
        guard sweepTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let nanos = Int(interval.nanoseconds)
        timer.schedule(
            deadline: .now() + .nanoseconds(nanos), repeating: .nanoseconds(nanos), leeway: .milliseconds(10))
        timer.setEventHandler { [unowned self] in
            let now = DispatchTime.now().uptimeNanoseconds
            for connection in Array(connections.values) { connection.checkDeadlines(now: now) }
        }
        timer.resume()
        sweepTimer = timer
    }
}

/// A fixed set of event loops; connections are assigned round-robin.
public final class EventLoopGroup: @unchecked Sendable {
    /// One loop per processor this process may run on (the `Cpus_allowed`
    /// mask of /proc/self/status, so `taskset -c 0` means one loop), else the
    /// online count. (`sched_getaffinity` is not visible from Swift's Glibc.)
    public static var defaultLoopCount: Int {
        if let allowed = allowedProcessorCount(), allowed > 0 { return allowed }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    private static func allowedProcessorCount() -> Int? {
        let fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { Glibc.close(fd) }
        var bytes = [UInt8](repeating: 0, count: 8192)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: bytes[..<count], as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else {
            return nil
        }
        return line.dropFirst("Cpus_allowed:".count).reduce(0) { total, character in
            total + (character.hexDigitValue?.nonzeroBitCount ?? 0)
        }
    }

    /// The loops.
    public let loops: [EventLoop]
    private let nextIndex = NextIndex()

    /// Creates `count` loops.
    public init(count: Int = EventLoopGroup.defaultLoopCount, label: String = "iop.loop") {
        loops = (0..<max(1, count)).map { EventLoop(label: "\(label).\($0)") }
    }

    /// The next loop in round-robin order.
    public func next() -> EventLoop {
        loops[nextIndex.next(modulo: loops.count)]
    }
}

/// A round-robin counter shared by accepting threads.
private final class NextIndex: Sendable {
    private let value = Atomic<Int>(0)
    func next(modulo count: Int) -> Int {
        value.add(1, ordering: .relaxed).oldValue % count
    }
}

/// The loop a queue belongs to, held weakly by the queue the loop owns.
private final class LoopReference: Sendable {
    weak let loop: EventLoop?
    init(_ loop: EventLoop) { self.loop = loop }
}

/// Swift tasks started with a loop as their executor preference
/// (`Task(executorPreference:)`) run on the loop's queue, and so do the
/// default actors they call. Work a connection waits for (a token check) then
/// never waits for a thread of the shared concurrency pool, which blocking
/// code elsewhere in the process could be holding, and costs no thread switch.
/// Never use it for work that blocks or waits on a room's queue.
extension EventLoop: TaskExecutor {
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
