import Dispatch
import Logging
import RoomCore
import SocketTransport
import Synchronization

/// One owner per room: a node lets members into a room only while it holds the
/// room's lease, a `room_leases` row (room, node, expiry) in the records
/// database. A lease is taken when a room's first member arrives on this node
/// (one statement: it wins only when the row is free, expired, or already
/// this node's), renewed for every room at once every `renewal` (well before
/// `duration` runs out), and released when the room empties or the node stops.
/// A lease another node now holds is lost: `onLost` ends the room here. While
/// the database cannot be reached, renewals fail and the rooms hosted here go
/// on (records queue, bounded by the store): no other node can take a lease
/// from an unreachable database either, and the first renewal that reaches it
/// again finds out whether a node that could reach it took one meanwhile (a
/// partition), which then ends the room here. On SQLite, which one node writes
/// alone, the same statements always win.
///
/// Database work runs on the record store's writer (the one thread that uses
/// its connection); the clock is injected, so tests drive expiry without sleeping.
public final class RoomLeases: @unchecked Sendable {
    // `held` is guarded by its lock; `timer` and `lost` are set once before use.

    /// How long a lease lasts, and how often this node renews its leases.
    public struct Timing: Sendable, Hashable {
        /// A lease runs out this long after it was taken or last renewed. Default 4 s: a
        /// dead node's rooms move within it.
        public var duration: Duration = .seconds(4)
        /// How often every lease of this node is renewed. Default 1 s: three tries before expiry.
        public var renewal: Duration = .seconds(1)

        /// The defaults.
        public init() {}
    }

    /// What asking for a room's lease gave.
    public enum Grant: Sendable, Equatable {
        /// This node already held it.
        case held
        /// This node has just taken it: the places of the room's open session to restore, if any.
        case taken(RoomPlaces?)
        /// Another node holds it.
        case elsewhere
        /// The records database could not be reached.
        case unavailable
    }

    /// This node's id (the `node` column).
    public let node: String
    /// The lease timing.
    public let timing: Timing
    private let store: DatabaseRecordStore
    private let clock: @Sendable () -> Timestamp
    private let logger: Logger
    /// Rooms this node holds, with when each lease runs out by this node's count
    /// (from the start of the statement that took or renewed it).
    private let held = LockedValue<[String: Timestamp]>([:])
    /// Rooms another node held at the last ask, until when that answer is reused: a
    /// burst of arrivals for such a room costs the database one statement per
    /// ``refusalReuse``, not one each (at most one entry per room of the catalogue).
    private let elsewhere = LockedValue<[String: Timestamp]>([:])
    /// The last renewal could not reach the database: the rooms held here go on until one does.
    private let unreachable = LockedValue(false)
    /// How long a "held elsewhere" answer is reused. 100 ms: far below a lease.
    static let refusalReuse: Duration = .milliseconds(100)
    /// Leases taken (a room came to this node), asked for and refused (another node
    /// held the room), and lost (the room ended here with 4008): for metrics.
    public let taken = Atomic<Int>(0)
    /// See ``taken``.
    public let refused = Atomic<Int>(0)
    /// See ``taken``.
    public let lostCount = Atomic<Int>(0)
    private var timer: DispatchSourceTimer?
    private var lost: @Sendable (String) -> Void = { _ in }
    private var isEmpty: @Sendable (String) -> Bool = { _ in false }
    /// Rooms found empty at the last renewal (on the writer): still empty at the next, they are let go.
    private var emptyAtLastRenewal: Set<String> = []

    /// Leases of `store`'s database for its node.
    public init(
        store: DatabaseRecordStore, timing: Timing = Timing(), logger: Logger,
        clock: @escaping @Sendable () -> Timestamp = { ServerClock.system.now() }
    ) {
        self.store = store
        self.node = store.nodeID
        self.timing = timing
        self.clock = clock
        self.logger = logger
    }

    /// Sets what happens when a room's lease is lost (before ``start()``).
    public func whenLost(_ handler: @escaping @Sendable (String) -> Void) {
        lost = handler
    }

    /// Sets how to tell that a room has nobody in it (before ``start()``): a lease
    /// whose room stays empty over two renewals is let go, whatever emptied it
    /// (or never filled it: an upgrade that failed after the lease was taken).
    public func whenEmpty(_ check: @escaping @Sendable (String) -> Bool) {
        isEmpty = check
    }

    /// Starts renewing every `timing.renewal`.
    public func start() {
        store.writer.sync {
            let timer = DispatchSource.makeTimerSource(queue: store.writer)
            let interval = DispatchTimeInterval.milliseconds(Int(timing.renewal.milliseconds))
            timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(50))
            timer.setEventHandler { [weak self] in self?.renew() }
            timer.resume()
            self.timer = timer
        }
    }

    deinit {
        // Released without `stop` (tests): the timer must not keep firing.
        timer?.cancel()
    }

    /// Whether this node holds `room`'s lease now (by its own clock).
    public func holds(_ room: String) -> Bool {
        let now = clock()
        return held.withLock { $0[room].map { $0 > now } ?? false }
    }

    /// Whether another node holds `room`'s lease now (someone is in it there), asking
    /// the database; false when it cannot be reached (the caller's change goes ahead
    /// and the other node applies it when the room empties).
    public func isHeldElsewhere(_ room: String) -> Bool {
        let now = clock().millisecondsSinceEpoch
        return store.writer.sync {
            let rows = try? store.database.transaction { session in
                try session.query(
                    "SELECT node FROM room_leases WHERE room = $1 AND node <> $2 AND expires_at > $3", room, node, now)
            }
            return !(rows ?? []).isEmpty
        }
    }

    /// Asks for `room`'s lease; `done` is called once, on the writer (or at once when held).
    /// A room hosted here whose renewals fail (the database away) stays held. When the
    /// lease is taken, `restore` gets the room's places (members away longer than
    /// `placesKeptFor` lose theirs) before any other arrival can see the room held
    /// here: an arrival that finds it held connects after the restore, never before
    /// (the room restores only while empty).
    public func acquire(
        _ room: String, placesKeptFor: Duration, restore: @escaping @Sendable (RoomPlaces?) -> Void,
        done: @escaping @Sendable (Grant) -> Void
    ) {
        if holds(room) || hostsWhileUnreachable(room) { return done(.held) }
        let now = clock()
        if elsewhere.withLock({ $0[room].map { $0 > now } ?? false }) {
            refused.add(1, ordering: .relaxed)
            return done(.elsewhere)
        }
        store.writer.async { done(self.take(room, placesKeptFor: placesKeptFor, restore: restore)) }
    }

    /// Whether `room` is hosted here and the last renewal could not reach the database.
    private func hostsWhileUnreachable(_ room: String) -> Bool {
        unreachable.withLock { $0 } && held.withLock { $0[room] != nil }
    }

    /// Takes `room`'s lease, waiting for the answer (tests).
    func acquireNow(_ room: String, placesKeptFor: Duration = RoomPolicy().reconnectWindow) -> Grant {
        store.writer.sync { take(room, placesKeptFor: placesKeptFor, restore: { _ in }) }
    }

    /// Lets `room` go (it emptied): another node may take it at once.
    /// Returns whether this node held it.
    @discardableResult
    public func release(_ room: String) -> Bool {
        guard held.withLock({ $0.removeValue(forKey: room) }) != nil else { return false }
        store.writer.async { [self] in
            do {
                try store.database.transaction {
                    try $0.execute("DELETE FROM room_leases WHERE room = $1 AND node = $2", room, node)
                }
            } catch {
                logger.warning("releasing a room lease failed", metadata: ["error": "\(error)"])
            }
        }
        return true
    }

    /// Stops renewing and forgets every lease (the store's `close` deletes this node's rows).
    public func stop() {
        store.writer.sync {
            timer?.cancel()
            timer = nil
        }
        held.withLock { $0 = [:] }
    }

    /// Renews every lease held, waiting for the answer (tests; the timer calls ``renew()``).
    func renewNow() {
        store.writer.sync { renew() }
    }

    /// On the writer: the lease if free, expired or ours, and the room's places
    /// (members away longer than `placesKeptFor` lose theirs), handed to `restore`
    /// before the lease is published as held.
    private func take(
        _ room: String, placesKeptFor: Duration, restore: @Sendable (RoomPlaces?) -> Void
    ) -> Grant {
        if holds(room) || hostsWhileUnreachable(room) { return .held }
        let started = clock()
        let until = started + timing.duration
        do {
            let grant = try store.inWriterTransaction { session, writer -> Grant in
                let previous = try session.query("SELECT node, expires_at FROM room_leases WHERE room = $1", room).first
                let won = try session.query(
                    """
                    INSERT INTO room_leases (room, node, expires_at) VALUES ($1, $2, $3)
                    ON CONFLICT (room) DO UPDATE SET node = excluded.node, expires_at = excluded.expires_at
                    WHERE room_leases.node = excluded.node OR room_leases.expires_at <= $4
                    RETURNING node
                    """, room, node, until.millisecondsSinceEpoch, started.millisecondsSinceEpoch)
                guard !won.isEmpty else { return .elsewhere }
                // The old holder was last known alive when it last renewed: its expiry less one lease.
                let lastSeen = previous?["expires_at"].integer.map { $0 - timing.duration.milliseconds }
                return .taken(
                    try writer.takeOver(
                        room: room, lastSeen: lastSeen, now: started, placesKeptFor: placesKeptFor, in: session))
            }
            switch grant {
            case .taken(let places):
                restore(places)
                held.withLock { $0[room] = until }
                taken.add(1, ordering: .relaxed)
            case .elsewhere:
                elsewhere.withLock { $0[room] = started + Self.refusalReuse }
                refused.add(1, ordering: .relaxed)
            case .held, .unavailable: break
            }
            return grant
        } catch {
            logger.error("taking a room lease failed", metadata: ["error": "\(error)"])
            return .unavailable
        }
    }

    /// On the writer: renews every lease of this node in one statement; the rooms
    /// it no longer holds are lost. A renewal that cannot reach the database loses
    /// nothing (see the type's comment).
    private func renew() {
        let rooms = held.current
        guard !rooms.isEmpty, !store.isClosed else { return }
        let started = clock()
        let until = started + timing.duration
        var lostRooms: [String] = []
        do {
            let kept = Set(
                try store.database.transaction {
                    try $0.texts(
                        "UPDATE room_leases SET expires_at = $1 WHERE node = $2 RETURNING room",
                        until.millisecondsSinceEpoch, node)
                })
            held.withLock { current in
                for room in current.keys where rooms[room] != nil {
                    if kept.contains(room) { current[room] = until } else { lostRooms.append(room) }
                }
                for room in lostRooms { current[room] = nil }
            }
            unreachable.withLock { $0 = false }
        } catch {
            logger.warning("renewing room leases failed; the rooms here go on", metadata: ["error": "\(error)"])
            unreachable.withLock { $0 = true }
        }
        let stillHeld = held.current.keys
        let empty = Set(stillHeld.filter { isEmpty($0) })
        for room in empty.intersection(emptyAtLastRenewal) { release(room) }
        emptyAtLastRenewal = empty
        lostCount.add(lostRooms.count, ordering: .relaxed)
        for room in lostRooms.sorted() {
            logger.warning("room lease lost; ending the room on this node", metadata: ["room": "\(room)"])
            lost(room)
        }
    }
}
