// Why `Room` spans about 1,400 lines of extensions (over the ~500 the style
// allows): every rule of the product reads the whole room (who is present, at
// which stage, in a side room, muted, connected) to decide who may act and who
// hears what, so each concern is an extension in its own file (`Room+Chat`,
// `Room+CheckIn`, ..., none over 200 lines) over one shared state, with one
// entry point per input. What needs nothing of the rest is its own small state
// machine that `Room` composes: `ExerciseRun`, `CheckInRound`, `CrisisAlerts`,
// `MessageHistory`, `ReplayBuffer`, `ReconnectAllowance`, `PollRun`,
// `MessageReactions`, `ParticipationBalance`, `BreakoutRun`, `CardRun`. Next candidate: the
// member table (`members`, `order`, `admissionOrder`) with its audiences.

/// The state machine of one room for one session.
///
/// Pure and deterministic: every input carries the server time, the room never
/// reads a clock or a random source, and it answers each input with a list of
/// ``Effect``s for the server to carry out in order. Every rule of the product,
/// including who may see what, lives here. A command a peer sends never traps:
/// it is acknowledged or refused with a ``RoomError``.
///
/// The server time the room uses never goes backwards: an input stamped earlier
/// than a previous one is treated as happening at the previous time.
public struct Room: Sendable, Equatable {
    /// The room's definition, policy and catalogues.
    public let configuration: RoomConfiguration

    var now: Timestamp
    var outbox: [Effect] = []
    /// Open, or ended (until the next arrival starts the next session).
    var phase: SessionPhase = .open
    /// Members present when the last session ended who have not connected since:
    /// one of them resuming is told once that the session ended (it may have missed
    /// `session.ended` while its connection was down) instead of landing in the next.
    var endedSessionMembers: Set<MemberID> = []

    var members: [MemberID: MemberState] = [:]
    /// Members present or reconnecting, in arrival order.
    var order: [MemberID] = []
    /// Admitted members in admission order (the roster's order).
    var admissionOrder: [MemberID] = []
    var consents: [MemberID: String] = [:]
    /// Participants let in as soon as they accept the agreement (`Room+Program.swift`).
    var admitsOnArrival: Set<MemberID> = []
    /// Participants admitted when the room's previous node stopped (``restore(_:at:)``):
    /// let in on their return, once, without a second waiting room.
    var returning: Set<MemberID> = []
    /// The sessions and members a facilitator may record absences for (`AbsenceNotes.swift`).
    var recordableAbsences = RecordableAbsences()
    /// Who a facilitator removed or declined, kept out for the rest of the session.
    var banned: [MemberID: Ban] = [:]

    var locked = false
    var chatPaused = false
    var allMuted = false
    var handQueue: [MemberID] = []
    var floor: MemberID?

    /// The session's recent messages, with whom each reached.
    var messages: MessageHistory
    var replay: ReplayBuffer
    var lastSequence: SequenceNumber = 0
    var lastRound: UInt64 = 0
    var lastRun: UInt64 = 0
    var lastAgendaRun: UInt64 = 0

    var checkIn: CheckInRound?
    var exercise: ExerciseRun?
    var agenda: AgendaRun?
    var alerts = CrisisAlerts()
    var sideRooms: [SideRoomInfo] = []
    /// The open poll (counts and who answered, never who chose what), and the last poll's number.
    var poll: PollRun?
    var lastPoll: UInt64 = 0
    /// The breakout under way (``BreakoutRun``), the last one's number, and the groups
    /// the current input changed (their status goes out once, when drained).
    var breakout: BreakoutRun?
    var lastBreakout: UInt64 = 0
    var breakoutChanges: Set<Int> = []
    /// Reactions to group messages still in the history.
    var reactions = MessageReactions()
    /// Each member's cue, while set.
    var cues: [MemberID: Cue] = [:]
    /// The participation balance, for facilitators.
    var balance: ParticipationBalance
    /// The skills card on show and what participants filled in (``CardRun``), and the last card's number.
    var card: CardRun?
    var lastCard: UInt64 = 0
    /// Each member's reconnect bucket, as the instant it is full again (see
    /// ``ReconnectAllowance``); full buckets are dropped.
    var reconnectBudgets: [MemberID: Timestamp] = [:]
    /// Whether the current input changed the roster or the waiting room: each goes
    /// out once, with its final state, when the input's effects are drained.
    var rosterChanged = false
    var waitingRoomChanged = false
    /// The command being applied and its sender, while ``received(_:from:id:at:)`` runs:
    /// the message it posts marks the sender's copy (``Delivery/ownCopy``). Nil between inputs.
    var answering: OwnCopy?

    /// Opens a room for a session starting at `openedAt`.
    public init(configuration: RoomConfiguration, openedAt: Timestamp) {
        self.configuration = configuration
        self.now = openedAt
        self.balance = ParticipationBalance(since: openedAt)
        let policy = configuration.definition.policy
        self.messages = MessageHistory(limit: max(policy.messageHistoryLimit, policy.replayBufferCapacity))
        self.replay = ReplayBuffer(
            capacity: max(1, policy.replayBufferCapacity),
            horizon: policy.reconnectWindow * 2)
    }

    var policy: RoomPolicy { configuration.definition.policy }

    // MARK: Inputs

    /// A member's command arrived. Answers with an acknowledgement (first) and the
    /// command's consequences, or with a single refusal and no change at all.
    ///
    /// Atomic by construction: ``check(_:from:)`` reads the room and cannot change
    /// it, and only when it passes does ``apply(_:by:)``, which cannot fail, carry
    /// out the plan it returned. (A refused command still counts as activity, see
    /// ``beginCommand(_:from:at:)``: someone is at the device.)
    public mutating func received(
        _ command: Command, from member: MemberID, id: CommandID, at now: Timestamp
    ) -> [Effect] {
        beginCommand(command, from: member, at: now)
        let checked: (sender: MemberState, plan: CommandPlan)
        do throws(RoomError) {
            checked = try check(command, from: member)
        } catch {
            return [.refuse(id, to: member, error)]
        }
        outbox.append(.acknowledge(id, to: member))
        answering = OwnCopy(member: member, command: id)
        apply(checked.plan, by: checked.sender)
        return drain()
    }

    /// What every command does before it is checked: the clock moves on, and any
    /// command but a client's automatic `ping` (which proves a connection, not a
    /// person) marks its sender active for the idle log-off, refused or not.
    mutating func beginCommand(_ command: Command, from member: MemberID, at now: Timestamp) {
        begin(at: now)
        if command != .ping { noteActivity(member) }
    }

    /// A timer the room asked for fired. Stale timers are ignored.
    public mutating func timerFired(_ timer: TimerID, at now: Timestamp) -> [Effect] {
        begin(at: now)
        guard phase == .open else { return drain() }
        switch timer {
        case .reconnectWindow(let member): reconnectWindowExpired(member)
        case .checkInDeadline(let round): checkInDeadlinePassed(round)
        case .exercisePhase(let run, let phase): exercisePhaseEnded(run: run, phase: phase)
        case .agendaItem(let run): agendaItemTimeUp(run: run)
        case .idleCheck(let member): idleCheckDue(member)
        case .presenceGrace(let member): presenceGraceEnded(member)
        case .pollDeadline(let poll): pollDeadlinePassed(poll)
        case .breakoutEnd(let run): breakoutTimeUp(run: run)
        }
        return drain()
    }

    // MARK: Queries

    /// Whether the session has ended (the next arrival starts the next session).
    public var isEnded: Bool { phase != .open }

    /// Crisis alerts raised in this session and not yet acknowledged.
    public var openCrisisAlertCount: Int { alerts.openCount }

    /// The sequence number of the last event produced.
    public var currentSequence: SequenceNumber { lastSequence }

    /// The members present or reconnecting, in arrival order.
    public var memberIDs: [MemberID] { order }

    /// The state of one member, or `nil` if not present.
    public func status(of member: MemberID) -> MemberStatus? {
        guard let state = members[member] else { return nil }
        return MemberStatus(
            identity: state.identity, stage: state.stage, connected: state.connection != nil,
            away: state.away, muted: state.muted,
            sideRoomHost: sideRooms.first { $0.participant == member }?.facilitator,
            sideRoomGuest: sideRooms.first { $0.facilitator == member }?.participant)
    }

    /// Calls `body` for every member present or reconnecting, in no particular
    /// order, with only what a gauge counts: role, admission stage, whether a
    /// connection is attached, whether they stepped out. (No lookup by id: the
    /// server counts this after every command.)
    public func forEachPresence(_ body: (Role, AdmissionStage, _ connected: Bool, _ away: Bool) -> Void) {
        for state in members.values { body(state.identity.role, state.stage, state.connection != nil, state.away) }
    }

    /// Whether a member was removed or declined for the rest of the session.
    public func isBanned(_ member: MemberID) -> Bool { banned[member] != nil }

    // MARK: Plumbing

    mutating func begin(at time: Timestamp) {
        outbox.removeAll()
        rosterChanged = false
        waitingRoomChanged = false
        answering = nil
        if time > now { now = time }
    }

    /// The input's effects, ending with the roster and waiting room it changed (once each).
    mutating func drain() -> [Effect] {
        if phase == .open { balance.observeFloor(floor, at: now) }
        flushBroadcasts()
        answering = nil
        defer { outbox.removeAll() }
        return outbox
    }

    /// Keeps an attendance fact, dated `at` (default: now).
    mutating func record(_ member: MemberState, _ event: AttendanceEvent, at time: Timestamp? = nil) {
        outbox.append(
            .record(
                .attendance(
                    AttendanceRecord(member: member.id, role: member.identity.role, event: event, at: time ?? now))))
    }

    mutating func audit(
        _ action: ModerationAction, by actor: MemberID?, target: MemberID? = nil,
        message: MessageID? = nil, alert: AlertID? = nil
    ) {
        outbox.append(
            .record(
                .moderation(
                    ModerationRecord(
                        actor: actor, action: action, target: target, message: message, alert: alert, at: now))))
    }

    mutating func schedule(_ timer: TimerID, at instant: Timestamp) {
        outbox.append(.scheduleTimer(timer, at: instant))
    }

    mutating func cancel(_ timer: TimerID) {
        outbox.append(.cancelTimer(timer))
    }
}
