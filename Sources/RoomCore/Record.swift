/// A record for durable storage. Records never carry message content or aliases.
public enum Record: Hashable, Sendable {
    /// Attendance: arrivals, consent, admission, presence, departures.
    case attendance(AttendanceRecord)
    /// Moderation audit: who did what to whom, when.
    case moderation(ModerationRecord)
    /// A check-in score, only when the room's policy retains scores.
    case checkInScore(CheckInScoreRecord)
    /// A facilitator's absence reason for an enrolled member and a scheduled session.
    case absence(AbsenceRecord)
}

/// Why a member left the session.
public enum LeaveReason: String, Hashable, Sendable {
    /// The client closed the connection.
    case closedByClient
    /// The connection was lost and the reconnect window passed.
    case reconnectWindowExpired
    /// A facilitator removed them.
    case removed
    /// A facilitator declined their admission.
    case declined
    /// The session ended.
    case sessionEnded
    /// Logged off after sending no command for the idle log-off time.
    case idleLoggedOff
}

/// What happened to a member, for attendance.
public enum AttendanceEvent: Hashable, Sendable {
    /// A connection arrived and was accepted.
    case connected
    /// The member accepted this version of the group agreement.
    case consented(version: String)
    /// Admitted by a facilitator, or automatically (`nil`).
    case admitted(by: MemberID?)
    /// Stepped out.
    case steppedOut
    /// Came back from stepping out.
    case steppedBack
    /// The connection was lost; the reconnect window opened.
    case connectionLost
    /// Resumed within the reconnect window.
    case resumed
    /// Taken into a side room.
    case enteredSideRoom
    /// Back from a side room.
    case leftSideRoom
    /// Left the session.
    case left(LeaveReason)
}

/// One attendance fact.
public struct AttendanceRecord: Hashable, Sendable {
    /// Who.
    public var member: MemberID
    /// Their role.
    public var role: Role
    /// What happened.
    public var event: AttendanceEvent
    /// When.
    public var at: Timestamp

    /// Creates a value from all of its fields.
    public init(member: MemberID, role: Role, event: AttendanceEvent, at: Timestamp) {
        self.member = member
        self.role = role
        self.event = event
        self.at = at
    }
}

/// A moderation or safety action, for the audit trail.
public enum ModerationAction: String, Hashable, Sendable {
    /// Admitted from the waiting room.
    case admitted
    /// Declined from the waiting room.
    case declined
    /// Room locked.
    case locked
    /// Room unlocked.
    case unlocked
    /// Participant muted.
    case muted
    /// Participant unmuted.
    case unmuted
    /// All participants muted.
    case mutedAll
    /// All participants unmuted.
    case unmutedAll
    /// Chat paused.
    case chatPaused
    /// Chat resumed.
    case chatResumed
    /// Member removed.
    case removed
    /// A message redacted by a facilitator.
    case messageRedacted
    /// A message deleted by its author.
    case messageDeleted
    /// A hand lowered by a facilitator.
    case handCleared
    /// Floor given.
    case floorGiven
    /// Floor taken back.
    case floorTaken
    /// Crisis alert raised.
    case crisisAlertRaised
    /// Crisis alert acknowledged.
    case crisisAlertAcknowledged
    /// Crisis alert still open when the session ended.
    case crisisAlertOpenAtEnd
    /// Side room opened.
    case sideRoomOpened
    /// Side room closed.
    case sideRoomClosed
    /// Session ended.
    case sessionEnded
}

/// One moderation fact: ids, action and time only.
public struct ModerationRecord: Hashable, Sendable {
    /// Who acted (`nil` for the room itself).
    public var actor: MemberID?
    /// What they did.
    public var action: ModerationAction
    /// To whom, if anyone.
    public var target: MemberID?
    /// Which message, for redactions and deletions.
    public var message: MessageID?
    /// Which alert, for crisis actions.
    public var alert: AlertID?
    /// When.
    public var at: Timestamp

    /// Creates a value from all of its fields.
    public init(
        actor: MemberID?, action: ModerationAction, target: MemberID?, message: MessageID?, alert: AlertID?,
        at: Timestamp
    ) {
        self.actor = actor
        self.action = action
        self.target = target
        self.message = message
        self.alert = alert
        self.at = at
    }
}

/// A retained check-in score (a number only, never words).
public struct CheckInScoreRecord: Hashable, Sendable {
    /// Who answered.
    public var member: MemberID
    /// The template id.
    public var template: String
    /// The scale field id.
    public var field: String
    /// The score.
    public var score: Int
    /// When.
    public var at: Timestamp

    /// Creates a value from all of its fields.
    public init(member: MemberID, template: String, field: String, score: Int, at: Timestamp) {
        self.member = member
        self.template = template
        self.field = field
        self.score = score
        self.at = at
    }
}
