import Dispatch
import Foundation
import Logging
import SocketTransport

/// The one drain of a server, shared by SIGTERM/SIGINT (through
/// swift-service-lifecycle in `iopd`) and `POST /v1/admin/drain`:
///
/// 1. `/readyz` turns 503 and new room upgrades are refused (503 `draining`);
///    the listener stays open so `/livez`, `/metrics` and the admin API answer.
/// 2. Every room member is told (`going_away`).
/// 3. Rooms get the drain grace period to finish: a room is done once nobody
///    is present (its session ended, or everyone left).
/// 4. What remains is closed with 1001 (the transport's closing handshake,
///    bounded by `server.shutdownGraceSeconds`).
/// 5. Records are flushed and open attendance closed (`server_stopped`).
public final class DrainCoordinator: @unchecked Sendable {
    // `state` is guarded by its lock; everything else is immutable after `init`
    // except `server`, set once by `attach` before the server starts.
    private struct State {
        var started = false
        var finished = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Weak: the server's router reaches this coordinator (the admin drain
        /// route), so a strong reference would keep both alive forever.
        weak var server: WebSocketServer?
    }

    private let state = LockedValue(State())
    /// Entered in `init`, left once when the drain has finished.
    private let done = DispatchGroup()
    private let readiness: Readiness
    private let directory: RoomDirectory
    /// The rooms hosted now (a room created during a drain is drained too).
    private var rooms: [RoomHost] { directory.all }
    private let records: any RecordStore
    private let grace: Duration
    private let closeGrace: Duration
    private let logger: Logger
    /// The wall clock the attendance still open at the end of a drain is closed at.
    private let clock: ServerClock

    /// How often a drain looks whether the rooms are done. Default 100 ms.
    static let pollInterval: DispatchTimeInterval = .milliseconds(100)

    init(
        readiness: Readiness, rooms: RoomDirectory, records: any RecordStore, grace: Duration, closeGrace: Duration,
        logger: Logger, clock: ServerClock = .system
    ) {
        self.clock = clock
        self.readiness = readiness
        directory = rooms
        self.records = records
        self.grace = grace
        self.closeGrace = closeGrace
        self.logger = logger
        done.enter()
    }

    deinit {
        // Dispatch refuses to free a group still entered: balance it for a
        // server that is released without ever draining (tests).
        if !state.withLock({ $0.finished }) { done.leave() }
    }

    /// The transport server whose connections the drain closes.
    func attach(_ server: WebSocketServer) {
        state.withLock { $0.server = server }
    }

    /// The drain grace period (`server.drainGraceSeconds`).
    public var gracePeriod: Duration { grace }

    /// Whether a drain has begun.
    public var isDraining: Bool { state.current.started }

    /// Whether a drain has finished (records closed; the process may exit).
    public var isFinished: Bool { state.current.finished }

    /// Starts the drain in the background unless one is under way; returns
    /// whether this call started it. `grace` overrides the configured period.
    @discardableResult
    public func begin(reason: String, grace override: Duration? = nil) -> Bool {
        let starting = state.withLock { state -> Bool in
            guard !state.started else { return false }
            state.started = true
            return true
        }
        guard starting else { return false }
        readiness.beginDraining()
        let grace = override ?? self.grace
        logger.notice("draining", metadata: ["reason": "\(reason)", "graceSeconds": "\(grace.inSeconds)"])
        DispatchQueue.global().async { self.run(grace: grace) }
        return true
    }

    /// Suspends until the drain has finished.
    public func waitUntilFinished() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.finished { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Blocks the calling thread until the drain has finished (not on an event loop).
    public func blockUntilFinished() {
        done.wait()
    }

    /// The drain itself, on a global queue (it blocks).
    private func run(grace: Duration) {
        for room in rooms {
            room.announceShutdown(
                reason: "the server is restarting after this session; reconnect when it is back")
        }
        let deadline = DispatchTime.now() + .nanoseconds(Int(grace.inSeconds * 1_000_000_000))
        while rooms.contains(where: { $0.load.isOpen }), DispatchTime.now() < deadline {
            _ = DispatchSemaphore(value: 0).wait(timeout: .now() + Self.pollInterval)
        }
        let remaining = rooms.filter { $0.load.isOpen }.count
        logger.notice("closing remaining connections", metadata: ["roomsStillOpen": "\(remaining)"])
        state.current.server?.shutdown(gracePeriod: closeGrace)
        // Let the rooms hand over the records of the last departures, then
        // commit everything and close the attendance still open.
        for room in rooms { room.loop.sync {} }
        records.close(at: clock.now())
        logger.notice("drained")
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
        done.leave()
    }
}

extension Duration {
    /// Whole and fractional seconds, for logs and JSON.
    var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
