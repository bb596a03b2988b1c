import BenchSupport
import Glibc
import Synchronization

/// The phase of a run and the counters every loop updates, shared across
/// loops through atomics.
final class RunControl: Sendable {
    /// Where a run is; handlers read it for every message.
    enum Phase: Int {
        /// Connections are opening or warming up: echoes are not measured.
        case warmingUp = 0
        /// Echoes are counted and their round trips recorded.
        case measuring = 1
        /// No new messages; connections are being closed.
        case stopping = 2
    }

    private let rawPhase = Atomic<Int>(0)
    /// Handshakes started.
    let started = Atomic<Int>(0)
    /// Handshakes that succeeded.
    let opened = Atomic<Int>(0)
    /// Handshakes that failed.
    let failed = Atomic<Int>(0)
    /// Open connections that closed again (any phase).
    let closed = Atomic<Int>(0)
    /// Closes before `stopping`: the server dropped us.
    let unexpectedCloses = Atomic<Int>(0)
    /// When the last handshake finished (monotonic ns), 0 until then.
    let allConnectedAt = Atomic<UInt64>(0)
    /// The overall deadline (monotonic ns) after which the bench gives up.
    let deadline: UInt64

    init(deadline: UInt64) {
        self.deadline = deadline
    }

    /// The current phase.
    var phase: Phase { Phase(rawValue: rawPhase.load(ordering: .relaxed)) ?? .stopping }

    /// Moves to `phase`.
    func enter(_ phase: Phase) {
        rawPhase.store(phase.rawValue, ordering: .relaxed)
    }

    /// Handshakes finished, well or not.
    var completed: Int { opened.load(ordering: .relaxed) + failed.load(ordering: .relaxed) }

    /// Polls `condition` every millisecond until it holds, `limit` (monotonic
    /// ns) passes, or the overall deadline passes. Returns whether it held.
    func wait(until limit: UInt64, for condition: () -> Bool) -> Bool {
        let end = min(limit, deadline)
        while !condition() {
            if monotonicNanoseconds() >= end { return false }
            usleep(1000)
        }
        return true
    }

    /// Sleeps until `limit` or the overall deadline. Returns false if the deadline cut it short.
    func sleep(until limit: UInt64) -> Bool {
        _ = wait(until: limit) { false }
        return limit <= deadline
    }

    /// Whether the overall deadline has passed.
    var isOverdue: Bool { monotonicNanoseconds() >= deadline }
}
