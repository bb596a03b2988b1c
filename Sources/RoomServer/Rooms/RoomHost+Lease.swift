import RoomCore
import WebSocketCore

extension RoomHost {
    /// Whether this node may let members into the room now: it holds the room's
    /// lease, or it runs without leases. On the loop (or anywhere: it reads a lock).
    var hostsHere: Bool { leases?.holds(id) ?? true }

    /// What a takeover found for the room, waiting for the room's loop.
    enum Takeover: Sendable {
        /// The places of the open session to restore.
        case places(RoomPlaces)
        /// No open session: an empty room forgets what it knew.
        case nothing
    }

    /// This node has just taken the room's lease: the room takes `places` (what
    /// the records kept of its open session) before the first member is let in;
    /// with no open session in the records (nil), an empty room that is still
    /// open here forgets what it knew (another node may have ended that session
    /// meanwhile: its removals must not outlive it). Called on the store's writer
    /// before the lease is published as held (``RoomLeases/acquire(_:placesKeptFor:restore:done:)``):
    /// the takeover is noted at once and carried out on the loop by whichever
    /// comes first, its own turn or a member's `connect` (which may run on the
    /// loop ahead of work queued from another thread).
    func restore(_ places: RoomPlaces?) {
        takeover.withLock { $0 = places.map(Takeover.places) ?? .nothing }
        loop.async { [self] in carryOutTakeover() }
    }

    /// On the loop: the takeover noted by ``restore(_:)``, once. Nothing to carry
    /// out either way: the room is empty, and a restore produces no effect.
    func carryOutTakeover() {
        switch takeover.withLock({ pending in
            defer { pending = nil }; return pending
        }) {
        case .places(let places)?: _ = room.restore(places, at: clock.now())
        case .nothing?: forgetContent()
        case nil: break
        }
    }

    /// The room emptied and its lease went (or it was taken with no open session):
    /// this node keeps nothing of a room it does not hold. An open, empty room
    /// becomes a fresh one (its session's places are in the records, for whichever
    /// node takes it next; its content, a backlog kept for late joiners, is gone);
    /// an ended one stays as it is (ids only: who may be told the session ended).
    /// On the loop.
    func forgetContent() {
        guard !room.isEnded, room.memberIDs.isEmpty else { return }
        startAfresh(configuration)
    }

    /// Cancels the room's timers and replaces it with a fresh room of
    /// `configuration` that keeps what the host told the old one from the program:
    /// who is admitted on arrival, and which absences may be recorded. On the loop.
    func startAfresh(_ configuration: RoomConfiguration) {
        for timer in timers.values { timer.cancel() }
        timers = [:]
        var next = Room(configuration: configuration, openedAt: clock.now())
        next.admitOnArrival(room.admittedOnArrival)
        next.allowAbsences(room.absencesAllowed)
        room = next
    }

    /// The room's lease was lost (another node holds it, or it could not be
    /// renewed before it ran out): the room ends on this node at once, without
    /// writing anything more (its records are the new owner's now). Every member
    /// is closed with 4008 `room_moved` and reconnects to the room's owner,
    /// which restores their places; this node's copy of the room starts empty.
    func leaseLost() {
        loop.async { [self] in
            let (code, text) = RoomCloseCode.roomMovedClose
            for connection in connections.values { connection.close(code: code, reason: text) }
            connections = [:]
            current = [:]
            startAfresh(configuration)
            apply([])  // publishes the empty room's load
        }
    }
}
