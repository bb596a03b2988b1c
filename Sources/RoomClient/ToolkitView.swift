import RoomCore

/// What the client knows of the facilitation toolkit, built only from events: the
/// poll (open, or the last one closed), the reactions to messages, the cues seen and
/// the last participation balance. Part of ``RoomViewModel`` (`toolkit`).
public struct ToolkitView: Sendable, Hashable {
    /// The most recent poll, open or closed.
    public private(set) var poll: PollInfo?
    /// Whether ``poll`` is still open.
    public private(set) var pollOpen = false
    /// How many answered the open poll (facilitators).
    public private(set) var pollProgress: PollProgress?
    /// The last poll's results, once closed.
    public private(set) var pollResults: PollResults?
    /// The reactions to each message, as last told.
    public private(set) var reactions: [MessageID: ReactionTally] = [:]
    /// Each member's cue this client may see.
    public private(set) var cues: [MemberID: Cue] = [:]
    /// The last participation balance (facilitators).
    public private(set) var balance: BalanceReport?

    /// An empty view.
    public init() {}

    /// Applies one room event; events of other kinds change nothing.
    public mutating func apply(_ event: RoomEvent) {
        switch event {
        case .pollOpened(let info):
            if poll?.poll != info.poll { pollResults = nil }
            poll = info
            pollOpen = true
        case .pollProgress(let progress): pollProgress = progress
        case .pollClosed(let results):
            pollResults = results
            pollOpen = false
            pollProgress = nil
        case .reactions(let tally): reactions[tally.message] = tally.counts.isEmpty ? nil : tally
        case .cueChanged(let change): cues[change.member] = change.cue
        case .balance(let report): balance = report
        case .messageRemoved(let removal): reactions[removal.message] = nil
        case .sessionEnded: self = ToolkitView()
        case .breakout, .breakoutEnded: break
        case .agreementRequired, .waitingForAdmission, .waitingRoom, .snapshot, .backlog, .roster, .lockChanged,
            .chatPauseChanged, .message, .checkInStarted, .checkInResponse, .checkInProgress, .checkInClosed,
            .exercise, .exerciseEnded, .crisisAlertRaised, .crisisAlertReceived, .crisisAlertAcknowledged, .agenda,
            .agendaTimeUp, .sideRoomOpened, .sideRoomClosed, .idleWarning, .cardShown, .cardWithdrawn, .cardFields,
            .cardShared, .absenceRecorded:
            break
        }
    }

    /// The members the last balance found not yet heard from, present ones only.
    public var notYetHeard: Set<MemberID> {
        Set(balance?.entries.filter { $0.present && $0.notYetHeard }.map(\.member) ?? [])
    }
}
