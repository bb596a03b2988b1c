import BenchSupport
import Dispatch
import SocketTransport

/// What the connections of one event loop measured. Confined to that loop's
/// queue while the run is going; read through `snapshot(on:)`.
final class LoopTally: @unchecked Sendable {
    // Every mutable field is touched only on `loop`'s queue.

    /// The loop this tally belongs to.
    let loop: EventLoop
    /// The open connections of this loop (at most the run's connection count).
    var connections: [WebSocketConnection] = []
    /// Round trips measured in the window.
    var histogram = LatencyHistogram()
    /// Echoes received during the warm-up.
    var warmupEchoes = 0
    /// Echoes whose content did not match what was sent.
    var mismatches = 0
    /// Messages that arrived when none was outstanding.
    var unsolicited = 0
    /// Why handshakes failed: description → count (at most 8 kinds kept).
    var failures: [String: Int] = [:]

    init(loop: EventLoop) {
        self.loop = loop
    }

    /// Counts a failed handshake under its description.
    func noteFailure(_ description: String) {
        if failures[description] != nil || failures.count < 8 {
            failures[description, default: 0] += 1
        } else {
            failures["other", default: 0] += 1
        }
    }

    /// A copy of the figures, taken on the loop; nil if the loop did not answer in time.
    func snapshot(timeoutNanoseconds: UInt64) -> Snapshot? {
        let box = SnapshotBox()
        loop.execute { [self] in
            box.store(
                Snapshot(
                    histogram: histogram, warmupEchoes: warmupEchoes, mismatches: mismatches,
                    unsolicited: unsolicited, failures: failures))
        }
        return box.take(timeoutNanoseconds: timeoutNanoseconds)
    }

    /// Starts the closing handshake of every connection of this loop.
    func closeAll() {
        loop.execute { [self] in
            for connection in connections { connection.close(code: .normalClosure, reason: "bench done") }
            connections = []
        }
    }

    /// The figures of one loop at one moment.
    struct Snapshot: Sendable {
        var histogram = LatencyHistogram()
        var warmupEchoes = 0
        var mismatches = 0
        var unsolicited = 0
        var failures: [String: Int] = [:]

        /// Adds another loop's figures.
        mutating func merge(_ other: Snapshot) {
            histogram.merge(other.histogram)
            warmupEchoes += other.warmupEchoes
            mismatches += other.mismatches
            unsolicited += other.unsolicited
            failures.merge(other.failures, uniquingKeysWith: +)
        }
    }
}

/// Hands one snapshot from a loop to the waiting driver.
private final class SnapshotBox: @unchecked Sendable {
    // `value` is written before `ready.signal()` and read after `ready.wait`.
    private var value: LoopTally.Snapshot?
    private let ready = DispatchSemaphore(value: 0)

    func store(_ snapshot: LoopTally.Snapshot) {
        value = snapshot
        ready.signal()
    }

    func take(timeoutNanoseconds: UInt64) -> LoopTally.Snapshot? {
        guard ready.wait(timeout: .now() + .nanoseconds(Int(timeoutNanoseconds))) == .success else { return nil }
        return value
    }
}
