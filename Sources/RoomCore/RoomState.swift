/// Where a member stands in the admission flow.
public enum AdmissionStage: String, Hashable, Sendable {
    /// A participant who has not accepted the current group agreement.
    case needsAgreement
    /// A participant waiting for a facilitator.
    case waiting
    /// In the room (facilitators are admitted on arrival).
    case admitted
}

/// A read-only view of one member, for the server's admin API and for tests.
public struct MemberStatus: Hashable, Sendable {
    /// Who.
    public var identity: MemberIdentity
    /// Their admission stage.
    public var stage: AdmissionStage
    /// Whether a connection is attached (false while reconnecting).
    public var connected: Bool
    /// Whether they stepped out.
    public var away: Bool
    /// Whether they are muted.
    public var muted: Bool
    /// For a participant in a side room: the hosting facilitator.
    public var sideRoomHost: MemberID?
    /// For a facilitator hosting a side room: the participant.
    public var sideRoomGuest: MemberID?

    /// Creates a value from all of its fields.
    public init(
        identity: MemberIdentity, stage: AdmissionStage, connected: Bool, away: Bool, muted: Bool,
        sideRoomHost: MemberID?, sideRoomGuest: MemberID?
    ) {
        self.identity = identity
        self.stage = stage
        self.connected = connected
        self.away = away
        self.muted = muted
        self.sideRoomHost = sideRoomHost
        self.sideRoomGuest = sideRoomGuest
    }
}

/// Where the room's session stands. The room's controls (locked, chat paused,
/// all muted) are independent flags of an open session, not phases of it.
enum SessionPhase: Sendable, Equatable {
    /// Members may come, talk and act.
    case open
    /// A facilitator or an operator ended the session at this time: content is purged,
    /// every command is refused with `session_ended`, and the next arrival opens the
    /// next session (see ``Room/memberConnected(_:connection:lastSequence:at:)``).
    case ended(at: Timestamp)
}

/// Why a member is kept out for the rest of the session.
enum Ban: Sendable, Equatable {
    /// A facilitator removed them.
    case removed
    /// A facilitator declined their admission.
    case declined

    /// The refusal of their commands and connections.
    var refusal: RoomError {
        switch self {
        case .removed: .removed
        case .declined: .declined
        }
    }
}

/// One member's mutable state inside the room.
struct MemberState: Sendable, Equatable {
    var identity: MemberIdentity
    var connection: ConnectionID?
    var stage: AdmissionStage
    var since: Timestamp
    var away = false
    var muted = false
    /// When the member last sent a command (or was admitted, or resumed).
    var lastActive = Timestamp(millisecondsSinceEpoch: 0)
    /// Whether the idle warning went out since that.
    var idleWarned = false
    /// When the connection was lost, while it is (`nil` when connected).
    var lostAt: Timestamp?
    /// Whether that loss was announced (roster, attendance) after the presence grace.
    var lossAnnounced = false

    var id: MemberID { identity.id }
    var isFacilitator: Bool { identity.role == .facilitator }
    var isParticipant: Bool { identity.role == .participant }
    var isAdmitted: Bool { stage == .admitted }
}

/// The agenda item running, numbered per start (its timer's id).
struct AgendaRun: Sendable, Equatable {
    var run: UInt64
    var status: AgendaStatus
}

/// Who a command is for and how far into the room its sender must be.
public struct CommandRequirement: Hashable, Sendable {
    /// How far into the admission flow the sender must be.
    public enum Stage: Int, Hashable, Sendable, Comparable {
        /// Merely connected (agreement, crisis alert).
        case connected
        /// Admitted to the room.
        case admitted

        /// Orders stages by depth.
        public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The role required, or `nil` for either role.
    public var role: Role?
    /// The stage required.
    public var stage: Stage

    /// Creates a value from all of its fields.
    public init(role: Role?, stage: Stage) {
        self.role = role
        self.stage = stage
    }
}
