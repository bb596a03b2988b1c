/// A crisis alert as facilitators see it. It carries no content.
public struct CrisisAlertInfo: Hashable, Sendable {
    /// The alert.
    public var id: AlertID
    /// Who raised it.
    public var member: MemberID
    /// Their alias.
    public var alias: String
    /// When.
    public var raisedAt: Timestamp
    /// How many times the participant raised it again while it was open (0: once).
    /// A repeat refreshes the open alert instead of opening another one.
    public var repeats: Int
    /// When it was last raised (`raisedAt` until it is repeated).
    public var lastRaisedAt: Timestamp

    /// Creates a value from all of its fields; `lastRaisedAt` defaults to `raisedAt`.
    public init(
        id: AlertID, member: MemberID, alias: String, raisedAt: Timestamp, repeats: Int = 0,
        lastRaisedAt: Timestamp? = nil
    ) {
        self.id = id
        self.member = member
        self.alias = alias
        self.raisedAt = raisedAt
        self.repeats = repeats
        self.lastRaisedAt = lastRaisedAt ?? raisedAt
    }
}

/// A crisis alert acknowledged by a facilitator.
public struct CrisisAcknowledgement: Hashable, Sendable {
    /// The alert.
    public var id: AlertID
    /// Who raised it.
    public var member: MemberID
    /// The facilitator who acknowledged it.
    public var by: MemberID
    /// That facilitator's alias.
    public var byAlias: String
    /// When.
    public var at: Timestamp

    /// Creates a value from all of its fields.
    public init(id: AlertID, member: MemberID, by: MemberID, byAlias: String, at: Timestamp) {
        self.id = id
        self.member = member
        self.by = by
        self.byAlias = byAlias
        self.at = at
    }
}

/// The agenda item now running, with the shared timer.
public struct AgendaStatus: Hashable, Sendable {
    /// Its index in the room's agenda.
    public var index: Int
    /// Its name.
    public var name: String
    /// When it started.
    public var startedAt: Timestamp
    /// Its planned end.
    public var endsAt: Timestamp

    /// Creates a value from all of its fields.
    public init(index: Int, name: String, startedAt: Timestamp, endsAt: Timestamp) {
        self.index = index
        self.name = name
        self.startedAt = startedAt
        self.endsAt = endsAt
    }
}

/// A one-to-one side room.
public struct SideRoomInfo: Hashable, Sendable {
    /// The participant taken aside.
    public var participant: MemberID
    /// Their alias.
    public var participantAlias: String
    /// The facilitator hosting it.
    public var facilitator: MemberID
    /// That facilitator's alias.
    public var facilitatorAlias: String
    /// When it opened.
    public var openedAt: Timestamp

    /// Creates a value from all of its fields.
    public init(
        participant: MemberID, participantAlias: String, facilitator: MemberID, facilitatorAlias: String,
        openedAt: Timestamp
    ) {
        self.participant = participant
        self.participantAlias = participantAlias
        self.facilitator = facilitator
        self.facilitatorAlias = facilitatorAlias
        self.openedAt = openedAt
    }
}

/// Everything one member may see of the room right now.
public struct RoomSnapshot: Hashable, Sendable {
    /// The room id.
    public var roomID: String
    /// The room title.
    public var title: String
    /// The room kind.
    public var kind: RoomKind
    /// The member this snapshot is for.
    public var you: MemberID
    /// Their role.
    public var role: Role
    /// The roster as this member may see it.
    public var roster: Roster
    /// Whether participant chat is paused.
    public var chatPaused: Bool
    /// Whether the room is locked.
    public var locked: Bool
    /// The open check-in round, if any.
    public var checkIn: CheckInRoundInfo?
    /// Whether this member already answered or passed the open round.
    public var checkInResponded: Bool
    /// The exercise in progress, if any (omitted for a member sitting it out).
    public var exercise: ExerciseStatus?
    /// Whether this member sits the current exercise out.
    public var sittingOutExercise: Bool
    /// The agenda item running, if any.
    public var agenda: AgendaStatus?
    /// The waiting room (facilitators only; empty for participants).
    public var waiting: [WaitingEntry]
    /// Open crisis alerts (facilitators only; empty for participants).
    public var openAlerts: [CrisisAlertInfo]
    /// Side rooms this member may see: all for facilitators, their own for a participant.
    public var sideRooms: [SideRoomInfo]

    /// Creates a value from all of its fields.
    public init(
        roomID: String, title: String, kind: RoomKind, you: MemberID, role: Role, roster: Roster, chatPaused: Bool,
        locked: Bool, checkIn: CheckInRoundInfo?, checkInResponded: Bool, exercise: ExerciseStatus?,
        sittingOutExercise: Bool, agenda: AgendaStatus?, waiting: [WaitingEntry], openAlerts: [CrisisAlertInfo],
        sideRooms: [SideRoomInfo]
    ) {
        self.roomID = roomID
        self.title = title
        self.kind = kind
        self.you = you
        self.role = role
        self.roster = roster
        self.chatPaused = chatPaused
        self.locked = locked
        self.checkIn = checkIn
        self.checkInResponded = checkInResponded
        self.exercise = exercise
        self.sittingOutExercise = sittingOutExercise
        self.agenda = agenda
        self.waiting = waiting
        self.openAlerts = openAlerts
        self.sideRooms = sideRooms
    }
}
