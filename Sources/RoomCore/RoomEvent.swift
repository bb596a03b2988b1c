/// Something the room tells members. Each is delivered inside an ``EventEnvelope``
/// carrying the room's sequence number and the server time.
public enum RoomEvent: Hashable, Sendable {
    /// To a participant who must accept this agreement before seeing anything else.
    case agreementRequired(GroupAgreement)
    /// To a participant who accepted the agreement and now waits for a facilitator.
    case waitingForAdmission
    /// To facilitators: the current waiting room, in arrival order.
    case waitingRoom([WaitingEntry])
    /// To one member: the whole current view of the room (on admission, on return
    /// from a side room, or on a resume that cannot be served from the replay buffer).
    /// Boxed: a snapshot is three times the size of any other event, and every
    /// event (every slot of a room's replay buffer) would otherwise be as large.
    indirect case snapshot(RoomSnapshot)
    /// To a newly admitted member when the policy allows: group messages so far.
    case backlog([ChatMessage])
    /// To the group: the roster, with presence, hands, queue places, mutes and floor.
    case roster(Roster)
    /// To facilitators: the room was locked or unlocked.
    case lockChanged(locked: Bool)
    /// To the group: participant chat was paused or resumed.
    case chatPauseChanged(paused: Bool)
    /// A message, to exactly the audience of its scope.
    case message(ChatMessage)
    /// A message was redacted or deleted; sent to whoever received it.
    case messageRemoved(MessageRemoval)
    /// To the group: a check-in round opened.
    case checkInStarted(CheckInRoundInfo)
    /// One member answered or passed (to the group or to facilitators and the member,
    /// per the template's visibility).
    case checkInResponse(CheckInResponse)
    /// To facilitators: who answered, who passed, who has not yet, and the distribution.
    case checkInProgress(CheckInProgress)
    /// To the group: the round closed (distribution only for group-visible templates).
    case checkInClosed(CheckInSummary)
    /// The exercise schedule and its current phase (start, phase change, pause, resume,
    /// skip, or the current state for a late joiner).
    case exercise(ExerciseStatus)
    /// The exercise finished or was stopped.
    case exerciseEnded(ExerciseEnd)
    /// To facilitators only: a participant raised a crisis alert.
    case crisisAlertRaised(CrisisAlertInfo)
    /// To the participant: their alert reached this many facilitators (0: it waits for one).
    case crisisAlertReceived(alert: AlertID, facilitatorsNotified: Int)
    /// To facilitators and the participant: a facilitator acknowledged the alert.
    case crisisAlertAcknowledged(CrisisAcknowledgement)
    /// To the group: the agenda item now running, or `nil` when the agenda is cleared.
    case agenda(AgendaStatus?)
    /// To facilitators: the current agenda item reached its planned end.
    case agendaTimeUp(AgendaStatus)
    /// To the participant and facilitators: a side room opened.
    case sideRoomOpened(SideRoomInfo)
    /// To the participant and facilitators: a side room closed.
    case sideRoomClosed(SideRoomInfo)
    /// To everyone connected: the session is over.
    case sessionEnded
    /// To one member whose client has sent nothing for a while: they will be
    /// logged off at `logoffAt` unless they send any command before then.
    case idleWarning(logoffAt: Timestamp)
    /// To the group: a poll opened (boxed, as the larger kinds below).
    indirect case pollOpened(PollInfo)
    /// To facilitators: how many answered the open poll so far (never who, never what).
    case pollProgress(PollProgress)
    /// The poll closed: the counts to its audience, the bare fact to the other participants.
    indirect case pollClosed(PollResults)
    /// To those a group message reached: its reactions now.
    indirect case reactions(ReactionTally)
    /// A member's cue changed: to facilitators and the member, or the group (policy `cues`).
    indirect case cueChanged(CueChange)
    /// To the facilitator who asked: the participation balance.
    indirect case balance(BalanceReport)
    /// The breakout under way: to each group its own status, to facilitators every group's.
    indirect case breakout(BreakoutStatus)
    /// To every admitted member: the breakout ended, everyone is back in the room.
    case breakoutEnded(BreakoutEnd)
    /// To the card's scope: a skills card is on show.
    indirect case cardShown(CardInfo)
    /// To the card's scope: the card was taken down (what was filled in is forgotten).
    case cardWithdrawn(card: UInt64)
    /// To the participant alone: their own values on the card on show.
    indirect case cardFields(CardFields)
    /// To facilitators and the participant: what the participant chose to share.
    indirect case cardShared(CardShare)
    /// An absence reason was recorded or cleared (facilitators).
    indirect case absenceRecorded(AbsenceRecord)
}

/// A member waiting for admission.
public struct WaitingEntry: Hashable, Sendable {
    /// The member's id.
    public var member: MemberID
    /// The member's alias.
    public var alias: String
    /// When they entered the waiting room.
    public var since: Timestamp
    /// True while their connection is lost but the reconnect window is open.
    public var reconnecting: Bool

    /// Creates a value from all of its fields.
    public init(member: MemberID, alias: String, since: Timestamp, reconnecting: Bool) {
        self.member = member
        self.alias = alias
        self.since = since
        self.reconnecting = reconnecting
    }
}

/// Where a member is, as shown in the roster.
public enum Presence: String, Hashable, Sendable {
    /// Present.
    case here
    /// Stepped out (or, as participants see it, in a side room).
    case away
    /// Connection lost; within the reconnect window.
    case reconnecting
    /// In a side room with a facilitator (shown to facilitators only).
    case inSideRoom
}

/// One line of the roster.
public struct RosterEntry: Hashable, Sendable {
    /// The member's id.
    public var member: MemberID
    /// The member's alias.
    public var alias: String
    /// The member's role.
    public var role: Role
    /// Where the member is.
    public var presence: Presence
    /// The member's place in the hand queue (1 is next), or `nil` if no hand is raised.
    public var queuePosition: Int?
    /// Whether the member is muted.
    public var muted: Bool

    /// Creates a value from all of its fields.
    public init(member: MemberID, alias: String, role: Role, presence: Presence, queuePosition: Int?, muted: Bool) {
        self.member = member
        self.alias = alias
        self.role = role
        self.presence = presence
        self.queuePosition = queuePosition
        self.muted = muted
    }
}

/// The roster of admitted members, in admission order, and who has the floor.
public struct Roster: Hashable, Sendable {
    /// The members.
    public var entries: [RosterEntry]
    /// Who holds the floor, if anyone.
    public var floor: MemberID?

    /// Creates a value from all of its fields.
    public init(entries: [RosterEntry], floor: MemberID?) {
        self.entries = entries
        self.floor = floor
    }
}

/// Where a message goes; its audience follows from the scope.
public enum MessageScope: Hashable, Sendable {
    /// The group (admitted members not in a side room).
    case group
    /// Every facilitator, plus the sending participant.
    case toFacilitators
    /// One member, plus the sender.
    case direct(to: MemberID)
    /// Facilitators only.
    case backChannel
    /// The side room of this participant: that participant and its facilitator.
    case sideRoom(participant: MemberID)
    /// One breakout group (from 1): its participants and the facilitators visiting it.
    case breakout(group: Int)
    /// A facilitator's message to every breakout group at once (the group's audience).
    case breakoutBroadcast
}

/// A message as delivered.
public struct ChatMessage: Hashable, Sendable {
    /// The message id (for redaction and deletion).
    public var id: MessageID
    /// The author's id.
    public var from: MemberID
    /// The author's alias.
    public var alias: String
    /// The author's role.
    public var role: Role
    /// Where it went.
    public var scope: MessageScope
    /// The content (redacted in descriptions).
    public var text: ConfidentialText
    /// Server time of posting.
    public var sentAt: Timestamp

    /// Creates a value from all of its fields.
    public init(
        id: MessageID, from: MemberID, alias: String, role: Role, scope: MessageScope, text: ConfidentialText,
        sentAt: Timestamp
    ) {
        self.id = id
        self.from = from
        self.alias = alias
        self.role = role
        self.scope = scope
        self.text = text
        self.sentAt = sentAt
    }
}

/// A message taken back.
public struct MessageRemoval: Hashable, Sendable {
    /// Why a message disappeared.
    public enum Reason: String, Hashable, Sendable {
        /// A facilitator redacted it.
        case redacted
        /// Its author deleted it.
        case deleted
    }

    /// The message removed.
    public var message: MessageID
    /// Why.
    public var reason: Reason

    /// Creates a value from all of its fields.
    public init(message: MessageID, reason: Reason) {
        self.message = message
        self.reason = reason
    }
}
