import RoomCore
import RoomProtocol

/// Everything the client knows about its room, built only from server messages.
/// A value type: the connection owns one and hands out copies to the UI.
public struct RoomViewModel: Sendable {
    /// Where the member stands in the room's flow.
    public enum Stage: Sendable, Hashable {
        /// No `welcome` yet.
        case connecting
        /// The group agreement must be accepted first.
        case agreement(GroupAgreement)
        /// Accepted; waiting for a facilitator to admit.
        case waiting
        /// Admitted: the room is visible.
        case inRoom
        /// The session is over.
        case ended
    }

    /// The most messages kept for scrollback. Default 1,000: hours of a group, in memory only.
    public var scrollbackLimit = 1000
    /// This connection's member id, alias and role (from `welcome`).
    public private(set) var me: MemberIdentity?
    /// The room id.
    public private(set) var roomID = ""
    /// The room's title.
    public private(set) var title = ""
    /// The kind of group, once a snapshot arrived.
    public private(set) var kind: RoomKind?
    /// Where the member stands.
    public private(set) var stage: Stage = .connecting
    /// The roster of admitted members and the floor.
    public private(set) var roster = Roster(entries: [], floor: nil)
    /// The waiting room (facilitators).
    public private(set) var waiting: [WaitingEntry] = []
    /// Messages, oldest first (at most `scrollbackLimit`).
    public private(set) var messages: [ChatMessage] = []
    /// Group chat is paused for participants.
    public private(set) var chatPaused = false
    /// The room is locked to newcomers (facilitators see this).
    public private(set) var locked = false
    /// The open check-in round.
    public private(set) var checkIn: CheckInRoundInfo?
    /// This member answered or passed the open round.
    public private(set) var checkInResponded = false
    /// Responses seen in the open round, in arrival order.
    public private(set) var checkInResponses: [CheckInResponse] = []
    /// Who answered, passed or is pending (facilitators).
    public private(set) var checkInProgress: CheckInProgress?
    /// The last round's summary.
    public private(set) var lastCheckIn: CheckInSummary?
    /// The running exercise.
    public private(set) var exercise: ExerciseStatus?
    /// The member sits the exercise out.
    public private(set) var sittingOutExercise = false
    /// Open crisis alerts (facilitators).
    public private(set) var openAlerts: [CrisisAlertInfo] = []
    /// This participant's own alert: its id, how many facilitators it reached, who acknowledged.
    public private(set) var myAlert: (id: AlertID, notified: Int, acknowledgedBy: String?)?
    /// The running agenda item.
    public private(set) var agenda: AgendaStatus?
    /// Open side rooms (all for facilitators; a participant's own).
    public private(set) var sideRooms: [SideRoomInfo] = []
    /// The last event sequence number seen (sent as `Last-Event-Sequence` on resume).
    public private(set) var lastSequence: UInt64?
    /// Server clock minus local clock, in ms, from the latest event (for countdowns).
    public private(set) var serverClockOffset: Int64 = 0
    /// What a facilitator can start here (from `activities`; empty for participants).
    public private(set) var activities = ActivityMenu()
    /// The room's next (or current) scheduled session, in a room with a program schedule.
    public private(set) var schedule: SessionSchedule?
    /// Facilitators: the enrolled members expected at the open session, and who is here.
    public private(set) var expected: ExpectedMembers?
    /// Facilitators: the absence reasons recorded in this connection, by session id, then member.
    public private(set) var absences: [String: [MemberID: AbsenceMark]] = [:]
    /// Polls, reactions, cues and the participation balance (`ToolkitView`).
    public private(set) var toolkit = ToolkitView()
    /// The breakout under way, as this member may see it (`BreakoutView`).
    public private(set) var breakout = BreakoutView()
    /// The skills card on show and this member's own values (`CardView`).
    public private(set) var cards = CardView()
    /// The quiet notices of the last event: who joined, left, came back, has the floor (`RosterNotices`).
    public private(set) var notices: [String] = []

    /// An empty model.
    public init() {}

    /// Applies one server message received at local time `localMs`; returns false for
    /// an event already seen (a replay overlap), which is then ignored.
    @discardableResult
    public mutating func apply(_ message: ServerMessage, receivedAt localMs: Int64) -> Bool {
        switch message {
        case .welcome(let member, let alias, let role, let room, let roomTitle):
            me = MemberIdentity(id: member, alias: alias, role: role)
            roomID = room
            title = roomTitle
        case .event(let sequence, let time, let event):
            if let lastSequence, sequence <= lastSequence { return false }
            lastSequence = sequence
            serverClockOffset = time - localMs
            notices = RosterNotices.lines(before: self, event)
            apply(event)
            toolkit.apply(event)
            breakout.apply(event)
            cards.apply(event)
        case .activities(let menu):
            activities = menu
        case .schedule(let notice), .sessionReminder(let notice):
            schedule = notice
        case .expected(let list):
            expected = list
        case .ack, .error, .goingAway:
            break
        }
        return true
    }

    /// Applies one room event.
    public mutating func apply(_ event: RoomEvent) {
        switch event {
        case .agreementRequired(let agreement): stage = .agreement(agreement)
        case .waitingForAdmission: stage = .waiting
        case .waitingRoom(let entries): waiting = entries
        case .snapshot(let snapshot): apply(snapshot)
        case .backlog(let backlog): messages = Array((backlog + messages).suffix(scrollbackLimit))
        case .roster(let roster): self.roster = roster
        case .lockChanged(let locked): self.locked = locked
        case .chatPauseChanged(let paused): chatPaused = paused
        case .message(let message):
            messages.append(message)
            if messages.count > scrollbackLimit { messages.removeFirst(messages.count - scrollbackLimit) }
        case .messageRemoved(let removal): messages.removeAll { $0.id == removal.message }
        default: applyActivity(event)
        }
    }

    private mutating func applyActivity(_ event: RoomEvent) {
        switch event {
        case .checkInStarted(let round):
            checkIn = round
            checkInResponded = false
            checkInResponses = []
            checkInProgress = nil
        case .checkInResponse(let response):
            checkInResponses.append(response)
            if response.member == me?.id { checkInResponded = true }
        case .checkInProgress(let progress): checkInProgress = progress
        case .checkInClosed(let summary):
            lastCheckIn = summary
            checkIn = nil
        case .exercise(let status):
            exercise = status
            sittingOutExercise = false
        case .exerciseEnded: exercise = nil
        case .crisisAlertRaised(let alert):
            // A repeated alert comes again with the same id: it refreshes the one shown.
            if let index = openAlerts.firstIndex(where: { $0.id == alert.id }) {
                openAlerts[index] = alert
            } else {
                openAlerts.append(alert)
            }
        case .crisisAlertReceived(let alert, let notified): myAlert = (alert, notified, nil)
        case .crisisAlertAcknowledged(let ack):
            openAlerts.removeAll { $0.id == ack.id }
            if let mine = myAlert, mine.id == ack.id { myAlert = (mine.id, mine.notified, ack.byAlias) }
        case .agenda(let item): agenda = item
        case .sideRoomOpened(let room): sideRooms.append(room)
        case .sideRoomClosed(let room): sideRooms.removeAll { $0.participant == room.participant }
        case .absenceRecorded(let record):
            absences[record.entry.session, default: [:]][record.entry.member] = record.entry.reason
        case .sessionEnded:
            stage = .ended
            messages = []
            checkIn = nil
            exercise = nil
        default: break
        }
    }

    private mutating func apply(_ snapshot: RoomSnapshot) {
        stage = .inRoom
        roomID = snapshot.roomID
        title = snapshot.title
        kind = snapshot.kind
        roster = snapshot.roster
        chatPaused = snapshot.chatPaused
        locked = snapshot.locked
        checkIn = snapshot.checkIn
        checkInResponded = snapshot.checkInResponded
        exercise = snapshot.exercise
        sittingOutExercise = snapshot.sittingOutExercise
        agenda = snapshot.agenda
        waiting = snapshot.waiting
        openAlerts = snapshot.openAlerts
        sideRooms = snapshot.sideRooms
    }

    /// The member's own role (participant until `welcome` says otherwise).
    public var role: Role { me?.role ?? .participant }

    /// The alias of a member, from the roster, waiting room or alerts; the id otherwise.
    public func alias(of member: MemberID) -> String {
        if member == me?.id { return me?.alias ?? member.rawValue }
        if let entry = roster.entries.first(where: { $0.member == member }) { return entry.alias }
        if let entry = waiting.first(where: { $0.member == member }) { return entry.alias }
        if let alert = openAlerts.first(where: { $0.member == member }) { return alert.alias }
        return member.rawValue
    }

    /// Every alias the member may name (roster and waiting room), for completion.
    public var knownAliases: [String] { roster.entries.map(\.alias) + waiting.map(\.alias) }

    /// Finds a member by alias: an exact match (ignoring case), else a unique prefix.
    public func member(named name: String) -> MemberID? {
        let people = roster.entries.map { ($0.member, $0.alias) } + waiting.map { ($0.member, $0.alias) }
        let wanted = name.lowercased()
        if let exact = people.first(where: { $0.1.lowercased() == wanted }) { return exact.0 }
        let prefixed = Set(people.filter { $0.1.lowercased().hasPrefix(wanted) }.map(\.0))
        if prefixed.count == 1 { return prefixed.first }
        if people.contains(where: { $0.0.rawValue == name }) { return MemberID(name) }
        return nil
    }
}
