import BenchSupport
import Dispatch
import SocketTransport

/// What the members of one event loop measured, and the loop's chat
/// schedule. Confined to that loop's thread while the run is going; read
/// through `snapshot(timeoutNanoseconds:)`.
final class LoopState: @unchecked Sendable {
    // Every mutable field is touched only on `loop`'s thread (the tick timer
    // is the loop's own).

    /// The loop this state belongs to.
    let loop: EventLoop
    /// The members whose connection runs on this loop.
    var members: [MemberClient] = []
    /// What was counted so far.
    var figures = Figures()

    private var slots: [[MemberClient]] = []
    /// The reactions' schedule (`--reaction-every`), one slot per millisecond; empty without.
    private var reactionSlots: [[MemberClient]] = []
    private var startedAt: UInt64 = 0
    private var lastSlot = -1
    private var lastTickAt: UInt64 = 0
    private var timer: LoopTimer?

    init(loop: EventLoop) {
        self.loop = loop
    }

    /// Starts sending: every member of this loop in the room sends one chat
    /// every `periodMilliseconds`, at a random phase within the period. The
    /// schedule has one slot per millisecond; a 1 ms timer walks it. A
    /// member's message should reach the others of its room that got in. With
    /// `reactionMilliseconds` > 0 every member also reacts once per that period, at
    /// a random phase of its own, on the same timer.
    func startChat(periodMilliseconds period: Int, reactionMilliseconds: Int, membersInRooms: [Int]) {
        loop.execute { [self] in
            slots = Array(repeating: [], count: period)
            reactionSlots = Array(repeating: [], count: reactionMilliseconds)
            for member in members where member.isInRoom {
                member.audience = max(0, membersInRooms[member.room] - 1)
                slots[Int.random(in: 0..<period)].append(member)
                if reactionMilliseconds > 0 { reactionSlots[Int.random(in: 0..<reactionMilliseconds)].append(member) }
            }
            startedAt = monotonicNanoseconds()
            timer = loop.schedule(after: .zero, repeating: .milliseconds(1)) { [self] in tick() }
        }
    }

    /// Stops sending.
    func stopChat() {
        loop.execute { [self] in
            timer?.cancel()
            timer = nil
        }
    }

    /// Sends for every slot passed since the last tick (at most one period's
    /// worth, so a stalled bench never sends a member's message twice at once).
    private func tick() {
        guard timer != nil, !slots.isEmpty else { return }
        let now = monotonicNanoseconds()
        if lastTickAt != 0 { figures.tickGaps.record(now - lastTickAt) }
        lastTickAt = now
        let slot = Int((now - startedAt) / 1_000_000)
        guard slot > lastSlot else { return }
        let first = max(lastSlot + 1, slot - slots.count + 1)
        if first > lastSlot + 1 { figures.lateTicks += 1 }
        for index in first...slot {
            for member in slots[index % slots.count] { member.sendChat() }
            if !reactionSlots.isEmpty {
                for member in reactionSlots[index % reactionSlots.count] { member.sendReaction() }
            }
        }
        lastSlot = slot
    }

    /// Counts a failed handshake under its description (at most 8 kinds kept).
    func noteFailure(_ description: String) {
        Self.count(description, in: &figures.failures)
    }

    /// Counts `key` in a small tally (at most 8 kinds, then "other").
    static func count(_ key: String, in tally: inout [String: Int]) {
        if tally[key] != nil || tally.count < 8 {
            tally[key, default: 0] += 1
        } else {
            tally["other", default: 0] += 1
        }
    }

    /// A copy of the figures, taken on the loop; nil if the loop did not answer in time.
    func snapshot(timeoutNanoseconds: UInt64) -> Figures? {
        let box = LoopAnswer<Figures>()
        loop.execute { [self] in box.store(figures) }
        return box.take(timeoutNanoseconds: timeoutNanoseconds)
    }

    /// How many of this loop's members are in each room, counted on the loop.
    func membersInRooms(rooms: Int, timeoutNanoseconds: UInt64) -> [Int]? {
        let box = LoopAnswer<[Int]>()
        loop.execute { [self] in
            var counts = [Int](repeating: 0, count: rooms)
            for member in members where member.isInRoom { counts[member.room] += 1 }
            box.store(counts)
        }
        return box.take(timeoutNanoseconds: timeoutNanoseconds)
    }

    /// Every member of this loop accepts the agreement it was holding.
    func acceptHeldAgreements() {
        loop.execute { [self] in
            for member in members { member.acceptHeldAgreement() }
        }
    }

    /// Every facilitator of this loop ends its room's session.
    func endSessions() {
        loop.execute { [self] in
            timer?.cancel()
            timer = nil
            for member in members { member.endSession() }
        }
    }

    /// Starts the closing handshake of every member of this loop.
    func closeAll() {
        loop.execute { [self] in
            timer?.cancel()
            timer = nil
            for member in members { member.close() }
        }
    }
}

/// The counts of one loop (or of all, merged).
struct Figures: Sendable {
    /// Latency of measured messages delivered to other members (send → receive).
    var histogram = LatencyHistogram()
    /// Latency of every delivery that arrived during the window, whenever it was
    /// sent (under overload, messages of the warm-up arrive in the window).
    var windowHistogram = LatencyHistogram()
    /// Chat messages sent, by phase.
    var sentWarmup = 0
    var sentMeasured = 0
    /// Deliveries the measured messages should have made (the sender's room, less the sender).
    var expectedMeasured = 0
    /// Measured messages delivered to other members (whenever they arrive).
    var deliveredMeasured = 0
    /// Deliveries to other members that arrived during the measured window (any message).
    var deliveredInWindow = 0
    /// Deliveries to other members, all phases.
    var deliveredTotal = 0
    /// Reactions sent, by phase (`--reaction-every`).
    var reactionsWarmup = 0
    var reactionsMeasured = 0
    /// `reaction.changed` events received: during the measured window, and in all phases.
    /// Deliveries of their own, counted apart from chat's.
    var reactionUpdatesInWindow = 0
    var reactionUpdatesTotal = 0
    /// Copies of its own message a sender got back (the server sends to the whole group).
    var ownCopies = 0
    /// `ack` messages received.
    var acks = 0
    /// Own copies that carried their command's id (`"ack"`, iop.v2): acknowledgements too.
    var ownCopyAcks = 0
    /// `error` messages by code (`rate_limited` among them).
    var errors: [String: Int] = [:]
    /// Closes before the bench asked for them, by code.
    var closes: [String: Int] = [:]
    /// Failed handshakes by reason.
    var failures: [String: Int] = [:]
    /// Frames the bench could not decode.
    var undecodable = 0
    /// Events the bench does not act on, counted without decoding.
    var skippedEvents = 0
    /// Timer ticks that had to skip slots (the bench fell behind its schedule).
    var lateTicks = 0
    /// Time between consecutive ticks of the 1 ms send timer: how long the
    /// bench's loop was busy elsewhere (receiving) before it could send again.
    var tickGaps = LatencyHistogram()

    /// Adds another loop's figures.
    mutating func merge(_ other: Figures) {
        histogram.merge(other.histogram)
        windowHistogram.merge(other.windowHistogram)
        sentWarmup += other.sentWarmup
        sentMeasured += other.sentMeasured
        expectedMeasured += other.expectedMeasured
        deliveredMeasured += other.deliveredMeasured
        deliveredInWindow += other.deliveredInWindow
        deliveredTotal += other.deliveredTotal
        ownCopies += other.ownCopies
        reactionsWarmup += other.reactionsWarmup
        reactionsMeasured += other.reactionsMeasured
        reactionUpdatesInWindow += other.reactionUpdatesInWindow
        reactionUpdatesTotal += other.reactionUpdatesTotal
        acks += other.acks
        ownCopyAcks += other.ownCopyAcks
        errors.merge(other.errors, uniquingKeysWith: +)
        closes.merge(other.closes, uniquingKeysWith: +)
        failures.merge(other.failures, uniquingKeysWith: +)
        undecodable += other.undecodable
        skippedEvents += other.skippedEvents
        lateTicks += other.lateTicks
        tickGaps.merge(other.tickGaps)
    }
}

/// Hands one answer from a loop to the waiting driver.
private final class LoopAnswer<Value: Sendable>: @unchecked Sendable {
    // `value` is written before `ready.signal()` and read after `ready.wait`.
    private var value: Value?
    private let ready = DispatchSemaphore(value: 0)

    func store(_ answer: Value) {
        value = answer
        ready.signal()
    }

    func take(timeoutNanoseconds: UInt64) -> Value? {
        guard ready.wait(timeout: .now() + .nanoseconds(Int(timeoutNanoseconds))) == .success else { return nil }
        return value
    }
}
