import Dispatch
import Logging
import RoomCore
import RoomProtocol
import SocketTransport
import Synchronization
import WebSocketCore

/// One room on an event loop's thread (the room's executor): feeds the pure
/// `Room` its inputs and carries out the effects it returns. Broadcasts are
/// encoded once and the same bytes go to every recipient; a slow recipient
/// never holds the room back (its own bounded queue drops it).
public final class RoomHost: @unchecked Sendable {
    // Everything mutable is confined to `loop`'s thread.

    /// The room's id, as in `/v1/rooms/{id}`.
    public let id: String
    /// The room's configuration (its definition may be changed at run time while
    /// the room is empty: `RoomHost+Definition.swift`); safe from any thread.
    public var configuration: RoomConfiguration { definition.current }
    let definition: LockedValue<RoomConfiguration>
    /// The loop the room's work runs on, between its connections' I/O.
    let loop: EventLoop
    /// The wall clock the room's events, records and program are timed by.
    let clock: ServerClock
    var room: Room
    var connections: [ConnectionID: WebSocketConnection] = [:]
    /// Each member's current connection (a newer one replaces an older one), with
    /// its id: a fan-out finds each recipient's connection in one lookup. `ownCopyAcks`:
    /// the connection chose `iop.v2` (its own copy of a message it posted is the ack).
    var current: [MemberID: (id: ConnectionID, connection: WebSocketConnection, ownCopyAcks: Bool)] = [:]
    var timers: [TimerID: LoopTimer] = [:]
    /// The room's program schedule and its reminder timer (`RoomHost+Program.swift`).
    var program = HostProgram()
    private let records: any RecordStore
    /// The room's lease in the records database (`RoomHost+Lease.swift`); nil: always hosted here.
    let leases: RoomLeases?
    /// A takeover noted on the store's writer, not yet carried out on the loop.
    let takeover = LockedValue<Takeover?>(nil)
    private let logger: Logger
    /// Counters for metrics (and for the tests that prove encode-once fan-out).
    public let statistics = RoomStatistics()
    /// Messages, bytes and fan-out latency, through swift-metrics.
    public let instruments: RoomInstruments
    /// Whether the command being applied has handed a frame to anyone yet.
    private var deliveredInBatch = false
    private let published = LockedValue(RoomLoad())
    /// Commands handed to the loop and not yet applied, and the most allowed.
    private let pendingCommands = Atomic<Int>(0)
    private let maxPendingCommands: Int
    /// The `activities` message facilitators get after `welcome` (encoded once).
    private let activities: String

    /// Creates the host with a fresh room, run on `loop`'s thread: a room's work and the
    /// connections of that loop never cross threads, and a thousand busy rooms never
    /// get a thread each. `clock` times everything the room decides and records.
    public init(
        configuration: RoomConfiguration, records: any RecordStore, logger: Logger,
        instruments: RoomInstruments = RoomInstruments(), maxPendingCommands: Int = 1024,
        leases: RoomLeases? = nil, loop: EventLoop, clock: ServerClock = .system
    ) {
        self.clock = clock
        self.leases = leases
        self.maxPendingCommands = maxPendingCommands
        id = configuration.definition.id
        definition = LockedValue(configuration)
        self.loop = loop
        room = Room(configuration: configuration, openedAt: clock.now())
        self.records = records
        self.logger = logger
        self.instruments = instruments
        activities = ServerMessageEncoder.activities(ActivityMenu(configuration))
    }

    /// The room's load as of its last batch of effects; safe from any thread.
    public var load: RoomLoad { published.current }

    /// A member's WebSocket opened. (After the end, the room itself decides whether
    /// the arrival opens the next session or is told the session ended.)
    func connect(
        _ identity: MemberIdentity, connectionID: ConnectionID, lastSequence: SequenceNumber?,
        revision: RoomProtocolRevision = .v1, connection: WebSocketConnection
    ) {
        loop.async { [self] in
            guard hostsHere else {
                // The lease went (lost, or released as the room emptied) between the upgrade and now.
                let (code, text) = RoomCloseCode.roomMovedClose
                connection.close(code: code, reason: text)
                return
            }
            carryOutTakeover()
            refreshAdmissions()
            let effects = room.memberConnected(
                identity, connection: connectionID, lastSequence: lastSequence, at: clock.now())
            if case .disconnect(_, connectionID, .refused(let error))? = effects.first, effects.count == 1 {
                // Refused on arrival: no welcome, just the 4000 close. The host changes
                // nothing either: the connection was never recorded, so a member already
                // present with this id keeps their own connection and every delivery.
                let (code, text) = RoomCloseCode.for(.refused(error))
                connection.close(code: code, reason: text)
                return
            }
            connections[connectionID] = connection
            current[identity.id] = (connectionID, connection, revision.ownCopyAcknowledges)
            connection.send(
                WebSocketMessage.text(
                    ServerMessageEncoder.welcome(
                        member: identity.id, alias: identity.alias, role: identity.role, room: id,
                        roomTitle: configuration.definition.title)))
            if identity.role == .facilitator { connection.send(WebSocketMessage.text(activities)) }
            sendSchedule(to: connection)
            apply(effects)
            updateExpected(newcomer: identity.role == .facilitator ? identity.id : nil)
        }
    }

    /// Closes a member's connection after the room's pending work (its replies
    /// to commands already accepted) has been handed to the connection.
    func close(_ connection: WebSocketConnection, code: CloseCode, reason: String) {
        loop.async { connection.close(code: code, reason: reason) }
    }

    /// A decoded command arrived on `connection` of `member`.
    /// Returns false, doing nothing, when the room already has `maxPendingCommands`
    /// commands waiting: under overload the sender is told (`server_busy`) instead of
    /// the backlog, and the server's memory, growing without bound.
    /// A command from a connection that is not the member's current one (refused on
    /// arrival, e.g. a participant token carrying a facilitator's member id, or
    /// already replaced) is dropped: it never acts, or is answered, as the member.
    func receive(_ envelope: ClientEnvelope, from member: MemberID, connection: ConnectionID) -> Bool {
        guard pendingCommands.add(1, ordering: .relaxed).newValue <= maxPendingCommands else {
            pendingCommands.subtract(1, ordering: .relaxed)
            statistics.commandsRefusedBusy.add(1, ordering: .relaxed)
            return false
        }
        let arrived = DispatchTime.now().uptimeNanoseconds
        statistics.commandsReceived.add(1, ordering: .relaxed)
        loop.async { [self] in
            pendingCommands.subtract(1, ordering: .relaxed)
            guard current[member]?.id == connection else { return }
            deliveredInBatch = false
            refreshAdmissions()
            if envelope.command.isAbsenceCommand { refreshAbsences() }
            let command = envelope.command.withServerSeed()
            apply(room.received(command, from: member, id: envelope.id, at: clock.now()))
            if deliveredInBatch {
                instruments.fannedOut(since: arrived)
                statistics.fannedOut(since: arrived)
            }
        }
        return true
    }

    /// A member's WebSocket closed.
    func disconnected(_ member: MemberID, connectionID: ConnectionID, cause: DisconnectCause) {
        loop.async { [self] in
            connections[connectionID] = nil
            if current[member]?.id == connectionID { current[member] = nil }
            apply(room.memberDisconnected(member, connection: connectionID, cause: cause, at: clock.now()))
            updateExpected()
        }
    }

    /// Tells every connected member the server is going down (before the 1001 close).
    func announceShutdown(reason: String) {
        loop.sync {
            let frame = EncodedFrame.text(ServerMessageEncoder.goingAway(reason: reason))
            for connection in connections.values { connection.send(frame) }
        }
    }

    /// Carries out effects, in order. On the loop.
    func apply(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .deliver(let delivery):
                deliver(delivery)
            case .acknowledge(let id, let member):
                // Under iop.v2 the member's own copy of what the command posted answers it.
                if !ownCopyAnswers(id, of: member, in: effects) {
                    send(ServerMessageEncoder.acknowledgement(id), to: member)
                }
            case .refuse(let id, let member, let error):
                send(ServerMessageEncoder.refusal(id, error), to: member)
            case .scheduleTimer(let timer, let at):
                schedule(timer, at: at)
            case .cancelTimer(let timer):
                timers.removeValue(forKey: timer)?.cancel()
            case .disconnect(let member, let connectionID, let reason):
                disconnect(member, connectionID, reason)
            case .record(let record):
                records.append(record, room: id)
            }
        }
        let load = RoomLoad(of: room, openCrisisAlerts: room.openCrisisAlertCount)
        published.withLock { $0 = load }
        if room.memberIDs.isEmpty, leases?.release(id) == true { forgetContent() }
    }

    /// Encodes the event once; the same frame bytes go to every recipient (but an
    /// `iop.v2` sender, whose own copy is those bytes with its command's `"ack"`).
    private func deliver(_ delivery: Delivery) {
        let text = ServerMessageEncoder.event(delivery.envelope)
        let frame = EncodedFrame.text(text)
        let size = text.utf8.count
        statistics.eventsEncoded.add(1, ordering: .relaxed)
        let ownCopy = delivery.ownCopy.flatMap { current[$0.member]?.ownCopyAcks == true ? $0 : nil }
        var sent = 0
        for member in delivery.recipients {
            guard let connection = connection(of: member) else { continue }
            if let ownCopy, ownCopy.member == member {
                connection.send(
                    WebSocketMessage.text(ServerMessageEncoder.ownCopy(text, acknowledging: ownCopy.command)))
            } else {
                connection.send(frame)
            }
            sent += 1
        }
        guard sent > 0 else { return }
        statistics.framesDelivered.add(sent, ordering: .relaxed)
        statistics.messagesSent.add(sent, ordering: .relaxed)
        instruments.sent(sent, bytes: size)
        deliveredInBatch = true
    }

    func send(_ text: String, to member: MemberID) {
        guard let connection = connection(of: member) else { return }
        connection.send(WebSocketMessage.text(text))
        statistics.messagesSent.add(1, ordering: .relaxed)
        instruments.sent(bytes: text.utf8.count)
    }

    private func connection(of member: MemberID) -> WebSocketConnection? {
        current[member]?.connection
    }

    private func schedule(_ timer: TimerID, at instant: Timestamp) {
        timers.removeValue(forKey: timer)?.cancel()
        let delay = max(0, instant.millisecondsSinceEpoch - clock.now().millisecondsSinceEpoch)
        timers[timer] = loop.schedule(after: .milliseconds(delay)) { [self] in
            timers[timer] = nil
            apply(room.timerFired(timer, at: clock.now()))
        }
    }

    private func disconnect(_ member: MemberID, _ connectionID: ConnectionID, _ reason: DisconnectReason) {
        if current[member]?.id == connectionID { current[member] = nil }
        guard let connection = connections[connectionID] else { return }
        let (code, text) = RoomCloseCode.for(reason)
        logger.debug("closing member connection", metadata: ["room": "\(id)", "reason": "\(text)"])
        connection.close(code: code, reason: text)
    }
}

/// What a room has sent, for metrics. Safe to read from any thread.
public final class RoomStatistics: Sendable {
    /// Events encoded: once per event, however many recipients.
    public let eventsEncoded = Atomic<Int>(0)
    /// Event frames handed to recipients' connections (the same bytes each time, but
    /// an `iop.v2` sender's own copy).
    public let framesDelivered = Atomic<Int>(0)
    /// Commands received from members (for the admin API's per-room counts).
    public let commandsReceived = Atomic<Int>(0)
    /// Commands refused because the room's backlog was full (`server_busy`).
    public let commandsRefusedBusy = Atomic<Int>(0)
    /// Messages handed to members' connections: events, acknowledgements, refusals.
    public let messagesSent = Atomic<Int>(0)
    /// Commands whose fan-out was timed, and the sum of those times in nanoseconds.
    public let fanOutCount = Atomic<Int>(0)
    /// See `fanOutCount`.
    public let fanOutNanoseconds = Atomic<Int>(0)

    /// Adds the fan-out time of a command that arrived at `start` (uptime ns).
    func fannedOut(since start: UInt64) {
        let elapsed = DispatchTime.now().uptimeNanoseconds &- start
        fanOutCount.add(1, ordering: .relaxed)
        fanOutNanoseconds.add(Int(clamping: elapsed), ordering: .relaxed)
    }
}
