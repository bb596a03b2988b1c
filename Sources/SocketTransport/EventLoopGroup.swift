import Glibc
import Synchronization

/// A fixed set of event loops; connections are assigned round-robin. The
/// loops' threads run until stopped (``stop()``), whether or not the group
/// is still referenced, as work queued on a loop may outlive its group.
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

    /// Creates `count` loops, each with its own thread.
    public init(count: Int = EventLoopGroup.defaultLoopCount, label: String = "iop.loop") {
        loops = (0..<max(1, count)).map { EventLoop(label: "\(label).\($0)") }
    }

    /// Ends the loops' threads after their current turn. Work queued on them
    /// afterwards never runs, so call it only when nothing uses them any more.
    public func stop() {
        for loop in loops { loop.stop() }
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
