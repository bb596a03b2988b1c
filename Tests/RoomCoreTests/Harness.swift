import RoomCore

/// The instant every test session opens at (2024-01-01T00:00:00Z).
let epoch = Timestamp(millisecondsSinceEpoch: 1_704_067_200_000)

/// A room driven by a fake clock that tests advance by exact amounts.
struct Harness {
    var room: Room
    var now: Timestamp = epoch
    var connections: [MemberID: ConnectionID] = [:]
    private var lastConnection: UInt64 = 0
    private var lastCommand = 0

    init(policy: RoomPolicy = RoomPolicy(), capacity: Int = 15, roomID: String = "room-a") {
        let definition = RoomDefinition(
            id: roomID, title: "Tuesday process group", kind: .process, capacity: capacity, policy: policy)
        room = Room(configuration: RoomConfiguration(definition: definition), openedAt: epoch)
    }

    static func identity(_ id: MemberID) -> MemberIdentity {
        let role: Role = id.rawValue.hasPrefix("f") ? .facilitator : .participant
        return MemberIdentity(id: id, alias: id.rawValue.uppercased(), role: role)
    }

    mutating func advance(_ duration: Duration) { now = now + duration }

    /// Connects a member (role from the id: `f…` facilitator, else participant).
    @discardableResult
    mutating func connect(_ id: MemberID, lastSequence: SequenceNumber? = nil) -> [Effect] {
        lastConnection += 1
        let connection = ConnectionID(lastConnection)
        let effects = room.memberConnected(
            Harness.identity(id), connection: connection, lastSequence: lastSequence, at: now)
        if room.status(of: id)?.connected == true { connections[id] = connection }
        return effects
    }

    /// Sends a command and returns the effects.
    @discardableResult
    mutating func send(_ command: Command, from member: MemberID) -> [Effect] {
        lastCommand += 1
        return room.received(command, from: member, id: CommandID("c\(lastCommand)"), at: now)
    }

    /// The id the next command will carry.
    var nextCommandID: CommandID { CommandID("c\(lastCommand + 1)") }

    @discardableResult
    mutating func fire(_ timer: TimerID) -> [Effect] { room.timerFired(timer, at: now) }

    @discardableResult
    mutating func drop(_ id: MemberID, cause: DisconnectCause = .connectionLost) -> [Effect] {
        guard let connection = connections[id] else { return [] }
        return room.memberDisconnected(id, connection: connection, cause: cause, at: now)
    }

    /// Connects a participant, accepts the agreement and has `f1` admit them.
    @discardableResult
    mutating func join(_ id: MemberID, admittedBy facilitator: MemberID = "f1") -> [Effect] {
        var effects = connect(id)
        effects += send(.acceptAgreement(version: GroupAgreement.sample.version), from: id)
        effects += send(.admit(id), from: facilitator)
        return effects
    }

    /// A room with facilitator `f1` and admitted participants.
    static func session(_ participants: [MemberID] = ["p1", "p2", "p3"], policy: RoomPolicy = RoomPolicy()) -> Harness {
        var harness = Harness(policy: policy)
        harness.connect("f1")
        for participant in participants { harness.join(participant) }
        return harness
    }
}

extension Array where Element == Effect {
    var deliveries: [Delivery] {
        compactMap { if case .deliver(let delivery) = $0 { delivery } else { nil } }
    }

    /// The events delivered to a member, in order.
    func events(to member: MemberID) -> [RoomEvent] {
        deliveries.filter { $0.recipients.contains(member) }.map(\.envelope.event)
    }

    /// Deliveries whose event matches.
    func deliveries(where match: (RoomEvent) -> Bool) -> [Delivery] {
        deliveries.filter { match($0.envelope.event) }
    }

    var refusals: [RoomError] {
        compactMap { if case .refuse(_, _, let error) = $0 { error } else { nil } }
    }

    var acknowledgements: [CommandID] {
        compactMap { if case .acknowledge(let id, _) = $0 { id } else { nil } }
    }

    var records: [Record] {
        compactMap { if case .record(let record) = $0 { record } else { nil } }
    }

    var attendance: [AttendanceEvent] {
        records.compactMap { if case .attendance(let entry) = $0 { entry.event } else { nil } }
    }

    var moderation: [ModerationRecord] {
        records.compactMap { if case .moderation(let entry) = $0 { entry } else { nil } }
    }

    var timers: [Effect] {
        filter {
            switch $0 {
            case .scheduleTimer, .cancelTimer: true
            default: false
            }
        }
    }

    var disconnects: [Effect] {
        filter { if case .disconnect = $0 { true } else { false } }
    }
}

extension RoomEvent {
    var chat: ChatMessage? { if case .message(let message) = self { message } else { nil } }
    var roster: Roster? { if case .roster(let roster) = self { roster } else { nil } }
    var snapshot: RoomSnapshot? { if case .snapshot(let snapshot) = self { snapshot } else { nil } }
    var exercise: ExerciseStatus? { if case .exercise(let status) = self { status } else { nil } }
}

/// Builds text for commands.
func text(_ string: String) -> ConfidentialText { ConfidentialText(string) }
