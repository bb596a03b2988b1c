import BenchSupport
import Glibc
import Synchronization

/// The phase of a run and the counters every loop updates, shared across
/// loops through atomics.
final class BenchControl: Sendable {
    /// Where a run is; members read it for every message they send or receive.
    enum Phase: Int, Comparable {
        /// Connecting, accepting the agreement, being admitted. No chat.
        case joining = 0
        /// Chat flows; deliveries are not measured.
        case warmingUp = 1
        /// Chat flows; deliveries and latencies are counted.
        case measuring = 2
        /// No new chat; messages still in flight are counted.
        case draining = 3
        /// Connections are being closed.
        case stopping = 4

        static func < (lhs: Phase, rhs: Phase) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private let rawPhase = Atomic<Int>(0)
    /// Handshakes started.
    let started = Atomic<Int>(0)
    /// Handshakes that succeeded.
    let opened = Atomic<Int>(0)
    /// Handshakes that failed.
    let failed = Atomic<Int>(0)
    /// Members in the room: admitted participants and arrived facilitators.
    let ready = Atomic<Int>(0)
    /// Members the room has greeted: a participant asked for the agreement, a facilitator sent its snapshot.
    let greeted = Atomic<Int>(0)
    /// While true, participants keep the agreement unanswered (`--idle`: everyone connects first).
    let holdingAgreements = Atomic<Bool>(false)
    /// Open connections that closed again (any phase).
    let closed = Atomic<Int>(0)
    /// When the last handshake finished (monotonic ns), 0 until then.
    let allConnectedAt = Atomic<UInt64>(0)
    /// When the last member was greeted by its room (monotonic ns), 0 until then.
    let allGreetedAt = Atomic<UInt64>(0)
    /// When the last member was admitted (monotonic ns), 0 until then.
    let allReadyAt = Atomic<UInt64>(0)
    /// Members this run connects.
    let total: Int
    /// The overall deadline (monotonic ns) after which the bench gives up.
    let deadline: UInt64

    init(total: Int, deadline: UInt64) {
        self.total = total
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

    /// Counts one finished handshake; notes the moment the last one finished.
    func noteHandshake(succeeded: Bool) {
        if succeeded {
            opened.add(1, ordering: .relaxed)
        } else {
            failed.add(1, ordering: .relaxed)
        }
        if completed == total { allConnectedAt.store(monotonicNanoseconds(), ordering: .relaxed) }
    }

    /// Counts one member greeted by its room; notes the moment the last one was.
    func noteGreeted() {
        if greeted.add(1, ordering: .relaxed).newValue == total {
            allGreetedAt.store(monotonicNanoseconds(), ordering: .relaxed)
        }
    }

    /// Counts one member in the room; notes the moment the last one got in.
    func noteReady() {
        if ready.add(1, ordering: .relaxed).newValue == total {
            allReadyAt.store(monotonicNanoseconds(), ordering: .relaxed)
        }
    }

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
