/// What a room is for; shapes the defaults a server may apply.
public enum RoomKind: String, Hashable, Sendable, CaseIterable {
    /// A process group: sharing and feedback.
    case process
    /// A skills group: CBT, DBT, mindfulness, relapse prevention.
    case skills
    /// A family session.
    case family
    /// A one-to-one session.
    case individual
}

/// Per-room rules, filled by the server from configuration.
public struct RoomPolicy: Hashable, Sendable {
    /// Admit participants as soon as they accept the agreement. Default `false`:
    /// a facilitator decides who enters.
    public var autoAdmit: Bool
    /// Send group chat posted before a participant was admitted. Default `false`:
    /// late joiners see no backlog (confidentiality).
    public var lateJoinersSeeBacklog: Bool
    /// Allow participant-to-participant private messages. Default `false`.
    public var participantPrivateMessages: Bool
    /// How long a dropped member keeps their place and may resume. Default 2 minutes.
    public var reconnectWindow: Duration
    /// Longest message in characters. Default 2000.
    public var maximumMessageLength: Int
    /// Keep check-in scores (numbers only, never words) as records. Default `false`.
    public var retainCheckInScores: Bool
    /// Most events kept for replay to reconnecting members. Default 1000.
    public var replayBufferCapacity: Int
    /// Most group messages kept for backlog and redaction. Default 1000
    /// (never fewer than ``replayBufferCapacity``, so anything replayable can be redacted).
    public var messageHistoryLimit: Int
    /// Automatic log-off of unattended devices. Default off.
    public var idleLogoff = IdleLogoff()
    /// How often one member may connect. Default 10 at once, then one every 6 s.
    public var reconnectAllowance = ReconnectAllowance()
    /// How long a lost connection may stay lost before the room shows the member as
    /// reconnecting and writes `connectionLost` (dated at the loss). Default 10 s: a
    /// connection resumed sooner (a network blip, a phone changing networks) changes
    /// no roster and writes no attendance row. Never longer than ``reconnectWindow``.
    public var presenceGrace: Duration = .seconds(10)
    /// How the group sees reactions to messages. Default ``ReactionVisibility/counts``.
    public var reactions: ReactionVisibility = .counts
    /// Who sees a participant's cue. Default ``CueVisibility/facilitatorsOnly``.
    public var cues: CueVisibility = .facilitatorsOnly

    /// Creates a policy; every parameter has the documented default.
    public init(
        autoAdmit: Bool = false,
        lateJoinersSeeBacklog: Bool = false,
        participantPrivateMessages: Bool = false,
        reconnectWindow: Duration = .seconds(120),
        maximumMessageLength: Int = 2000,
        retainCheckInScores: Bool = false,
        replayBufferCapacity: Int = 1000,
        messageHistoryLimit: Int = 1000
    ) {
        self.autoAdmit = autoAdmit
        self.lateJoinersSeeBacklog = lateJoinersSeeBacklog
        self.participantPrivateMessages = participantPrivateMessages
        self.reconnectWindow = reconnectWindow
        self.maximumMessageLength = maximumMessageLength
        self.retainCheckInScores = retainCheckInScores
        self.replayBufferCapacity = replayBufferCapacity
        self.messageHistoryLimit = messageHistoryLimit
    }
}

/// The group agreement a participant must accept before seeing anything of the room.
public struct GroupAgreement: Hashable, Sendable {
    /// The agreement text shown to the participant (configuration, not participant content).
    public var text: String
    /// The version recorded with each acceptance.
    public var version: String

    /// Creates an agreement.
    public init(text: String, version: String) {
        self.text = text
        self.version = version
    }

    /// A short sample agreement for tests and embedded defaults.
    public static let sample = GroupAgreement(
        text: """
            What is said here stays here. I will not record, screenshot or share \
            anything from this group. I will use first names or aliases only. \
            I will be respectful, and I will tell a facilitator if I am not safe.
            """,
        version: "2024-1")
}

/// One named phase of a session's agenda, with its planned length.
public struct AgendaItem: Hashable, Sendable {
    /// The phase name everyone sees, e.g. "Check-in".
    public var name: String
    /// The planned length, shown as the shared agenda timer.
    public var plannedDuration: Duration

    /// Creates an agenda item.
    public init(name: String, plannedDuration: Duration) {
        self.name = name
        self.plannedDuration = plannedDuration
    }

    /// A typical three-hour IOP group: check-in, skills, process, check-out.
    public static let standardIOP: [AgendaItem] = [
        AgendaItem(name: "Check-in", plannedDuration: .seconds(20 * 60)),
        AgendaItem(name: "Skills", plannedDuration: .seconds(60 * 60)),
        AgendaItem(name: "Break", plannedDuration: .seconds(10 * 60)),
        AgendaItem(name: "Process", plannedDuration: .seconds(75 * 60)),
        AgendaItem(name: "Check-out", plannedDuration: .seconds(15 * 60)),
    ]
}

/// A room as defined in configuration.
public struct RoomDefinition: Hashable, Sendable {
    /// The room id used in the URL path.
    public var id: String
    /// The title shown to members.
    public var title: String
    /// What kind of group meets here.
    public var kind: RoomKind
    /// The most participants present at once (admitted or waiting); facilitators do not count.
    public var capacity: Int
    /// The room's rules.
    public var policy: RoomPolicy

    /// Creates a room definition.
    public init(id: String, title: String, kind: RoomKind, capacity: Int, policy: RoomPolicy = RoomPolicy()) {
        self.id = id
        self.title = title
        self.kind = kind
        self.capacity = capacity
        self.policy = policy
    }
}

/// Everything a room needs to run a session, as plain values.
public struct RoomConfiguration: Hashable, Sendable {
    /// The room's definition and policy.
    public var definition: RoomDefinition
    /// The group agreement participants accept.
    public var agreement: GroupAgreement
    /// The check-in templates a facilitator may start a round from.
    public var checkInTemplates: [CheckInTemplate]
    /// The exercises a facilitator may run.
    public var exercises: [Exercise]
    /// The agenda a facilitator may step through.
    public var agenda: [AgendaItem]
    /// The skills cards a facilitator may show. Default the standard cards (the server
    /// fills it from its catalogue).
    public var skillsCards: [SkillsCard] = SkillsCardCatalogue.standard

    /// Creates a configuration; catalogues default to the standard samples.
    public init(
        definition: RoomDefinition,
        agreement: GroupAgreement = .sample,
        checkInTemplates: [CheckInTemplate] = CheckInCatalogue.standard,
        exercises: [Exercise] = ExerciseCatalogue.standard,
        agenda: [AgendaItem] = AgendaItem.standardIOP
    ) {
        self.definition = definition
        self.agreement = agreement
        self.checkInTemplates = checkInTemplates
        self.exercises = exercises
        self.agenda = agenda
    }
}
