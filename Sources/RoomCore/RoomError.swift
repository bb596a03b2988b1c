/// Why the room refused a command or a connection: a stable machine code plus human text.
///
/// A struct over a private enum so that codes can be added without breaking clients
/// that switch over them. The ``code`` strings are part of the wire protocol.
public struct RoomError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Kind: String, CaseIterable, Sendable {
        case notPermitted = "not_permitted"
        case agreementRequired = "agreement_required"
        case agreementVersionMismatch = "agreement_version_mismatch"
        case notAdmitted = "not_admitted"
        case notWaiting = "not_waiting"
        case roomFull = "room_full"
        case roomLocked = "room_locked"
        case removed
        case declined
        case sessionEnded = "session_ended"
        case notConnected = "not_connected"
        case muted
        case chatPaused = "chat_paused"
        case emptyMessage = "empty_message"
        case messageTooLong = "message_too_long"
        case privateMessagesDisabled = "private_messages_disabled"
        case unknownMember = "unknown_member"
        case invalidTarget = "invalid_target"
        case unknownMessage = "unknown_message"
        case queueEmpty = "queue_empty"
        case unknownTemplate = "unknown_template"
        case roundAlreadyActive = "round_already_active"
        case noActiveRound = "no_active_round"
        case alreadyAnswered = "already_answered"
        case invalidAnswer = "invalid_answer"
        case unknownExercise = "unknown_exercise"
        case exerciseAlreadyActive = "exercise_already_active"
        case noActiveExercise = "no_active_exercise"
        case exerciseNotRunning = "exercise_not_running"
        case exerciseNotPaused = "exercise_not_paused"
        case unknownAlert = "unknown_alert"
        case alreadyAcknowledged = "already_acknowledged"
        case unknownAgendaItem = "unknown_agenda_item"
        case inSideRoom = "in_side_room"
        case notInSideRoom = "not_in_side_room"
        case alreadyInSideRoom = "already_in_side_room"
        case roleConflict = "role_conflict"
        case tooManyReconnects = "too_many_reconnects"
        case pollAlreadyOpen = "poll_already_open"
        case noOpenPoll = "no_open_poll"
        case alreadyVoted = "already_voted"
        case invalidChoice = "invalid_choice"
        case invalidPoll = "invalid_poll"
        case reactionsOff = "reactions_off"
        case breakoutAlreadyOpen = "breakout_already_open"
        case noBreakout = "no_breakout"
        case invalidBreakout = "invalid_breakout"
        case unknownBreakoutGroup = "unknown_breakout_group"
        case notInBreakoutGroup = "not_in_breakout_group"
        case unknownCard = "unknown_card"
        case noCard = "no_card"
        case unknownField = "unknown_field"
        case unknownSession = "unknown_session"
        case notEnrolled = "not_enrolled"

        var message: String {
            switch self {
            case .notPermitted: "Your role does not allow this."
            case .agreementRequired: "Please accept the group agreement first."
            case .agreementVersionMismatch: "That is not the current group agreement."
            case .notAdmitted: "Please wait until a facilitator admits you."
            case .notWaiting: "That member is not in the waiting room."
            case .roomFull: "The room is full."
            case .roomLocked: "The room is locked."
            case .removed: "You were removed from this session."
            case .declined: "You were not admitted to this session."
            case .sessionEnded: "The session has ended."
            case .notConnected: "You are not connected to this room."
            case .muted: "You are muted."
            case .chatPaused: "Chat is paused."
            case .emptyMessage: "The message is empty."
            case .messageTooLong: "The message is too long."
            case .privateMessagesDisabled: "Private messages between participants are off in this room."
            case .unknownMember: "That member is not in the room."
            case .invalidTarget: "That member cannot be the target of this."
            case .unknownMessage: "That message does not exist or is no longer available."
            case .queueEmpty: "No hand is raised."
            case .unknownTemplate: "There is no check-in template with that id."
            case .roundAlreadyActive: "A check-in round is already open."
            case .noActiveRound: "No check-in round is open."
            case .alreadyAnswered: "You already answered or passed this round."
            case .invalidAnswer: "The answer does not fit the check-in."
            case .unknownExercise: "There is no exercise with that id."
            case .exerciseAlreadyActive: "An exercise is already running."
            case .noActiveExercise: "No exercise is running."
            case .exerciseNotRunning: "The exercise is not running."
            case .exerciseNotPaused: "The exercise is not paused."
            case .unknownAlert: "There is no such crisis alert."
            case .alreadyAcknowledged: "That alert was already acknowledged."
            case .unknownAgendaItem: "There is no agenda item with that index."
            case .inSideRoom: "Not available while in a side room."
            case .notInSideRoom: "You are not in a side room."
            case .alreadyInSideRoom: "Already in a side room."
            case .roleConflict: "This member is already in the room with another role."
            case .tooManyReconnects: "Too many connections in a short time; try again in a moment."
            case .pollAlreadyOpen: "A poll is already open; close it first."
            case .noOpenPoll: "That poll is not open."
            case .alreadyVoted: "You already answered this poll; an answer cannot be changed."
            case .invalidChoice: "That is not one of the poll's choices."
            case .invalidPoll: "A poll has 2 to 6 options, or the 0-10 scale."
            case .reactionsOff: "Reactions are off in this room."
            case .breakoutAlreadyOpen: "Breakout groups are already open; bring everyone back first."
            case .noBreakout: "No breakout groups are open."
            case .invalidBreakout:
                "A breakout needs 2 groups or more, no more than the participants, each named once, 1 s to 4 h."
            case .unknownBreakoutGroup: "There is no breakout group with that number."
            case .notInBreakoutGroup: "Not in that breakout group."
            case .unknownCard: "There is no skills card with that id."
            case .noCard: "That card is not on show."
            case .unknownField: "The card has no field with that number."
            case .unknownSession: "That is not a scheduled session of this room within the recording window."
            case .notEnrolled: "That member is not enrolled and expected at that session."
            }
        }
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The stable snake_case machine code, e.g. `not_permitted`.
    public var code: String { kind.rawValue }

    /// A short human explanation, safe to show and to log (never contains content).
    public var message: String { kind.message }

    /// The code and message, e.g. `muted: You are muted.`
    public var description: String { "\(code): \(message)" }

    /// Every error the room can return, for documentation and tests.
    public static var all: [RoomError] { Kind.allCases.map(RoomError.init) }

    /// The sender's role may not send this command.
    public static let notPermitted = RoomError(.notPermitted)
    /// A participant has not accepted the current group agreement.
    public static let agreementRequired = RoomError(.agreementRequired)
    /// The accepted agreement version is not the room's current one.
    public static let agreementVersionMismatch = RoomError(.agreementVersionMismatch)
    /// The participant is still in the waiting room.
    public static let notAdmitted = RoomError(.notAdmitted)
    /// The admitted or declined member is not waiting.
    public static let notWaiting = RoomError(.notWaiting)
    /// The room is at capacity.
    public static let roomFull = RoomError(.roomFull)
    /// The room is locked to newcomers.
    public static let roomLocked = RoomError(.roomLocked)
    /// The member was removed for the rest of the session.
    public static let removed = RoomError(.removed)
    /// The member was declined admission for this session.
    public static let declined = RoomError(.declined)
    /// The session is over.
    public static let sessionEnded = RoomError(.sessionEnded)
    /// The sender has no live place in the room (never connected, or already left).
    public static let notConnected = RoomError(.notConnected)
    /// The participant is muted.
    public static let muted = RoomError(.muted)
    /// Group chat is paused by a facilitator.
    public static let chatPaused = RoomError(.chatPaused)
    /// The message is empty or whitespace.
    public static let emptyMessage = RoomError(.emptyMessage)
    /// The message exceeds the policy's maximum length.
    public static let messageTooLong = RoomError(.messageTooLong)
    /// Participant-to-participant private messages are off.
    public static let privateMessagesDisabled = RoomError(.privateMessagesDisabled)
    /// The target member is not (or no longer) in the room.
    public static let unknownMember = RoomError(.unknownMember)
    /// The target is of the wrong kind (a facilitator, oneself...).
    public static let invalidTarget = RoomError(.invalidTarget)
    /// The message does not exist, is gone, or is not visible to the sender.
    public static let unknownMessage = RoomError(.unknownMessage)
    /// No hand is raised, so there is no next speaker.
    public static let queueEmpty = RoomError(.queueEmpty)
    /// No check-in template has that id.
    public static let unknownTemplate = RoomError(.unknownTemplate)
    /// A check-in round is already open.
    public static let roundAlreadyActive = RoomError(.roundAlreadyActive)
    /// No check-in round is open.
    public static let noActiveRound = RoomError(.noActiveRound)
    /// The participant already answered or passed.
    public static let alreadyAnswered = RoomError(.alreadyAnswered)
    /// The answer is missing a field, has an extra one, or a value out of range.
    public static let invalidAnswer = RoomError(.invalidAnswer)
    /// No exercise has that id.
    public static let unknownExercise = RoomError(.unknownExercise)
    /// An exercise is already running or paused.
    public static let exerciseAlreadyActive = RoomError(.exerciseAlreadyActive)
    /// No exercise is active.
    public static let noActiveExercise = RoomError(.noActiveExercise)
    /// The exercise is paused (cannot pause or skip).
    public static let exerciseNotRunning = RoomError(.exerciseNotRunning)
    /// The exercise is running (cannot resume).
    public static let exerciseNotPaused = RoomError(.exerciseNotPaused)
    /// No crisis alert has that id.
    public static let unknownAlert = RoomError(.unknownAlert)
    /// The crisis alert was already acknowledged.
    public static let alreadyAcknowledged = RoomError(.alreadyAcknowledged)
    /// The agenda has no item at that index.
    public static let unknownAgendaItem = RoomError(.unknownAgendaItem)
    /// The participant is in a side room, away from the group.
    public static let inSideRoom = RoomError(.inSideRoom)
    /// The sender is not in a side room.
    public static let notInSideRoom = RoomError(.notInSideRoom)
    /// The participant (or hosting facilitator) is already in a side room.
    public static let alreadyInSideRoom = RoomError(.alreadyInSideRoom)
    /// A connection arrived for a member present in this session with the other role
    /// (two tokens carrying the same member id); refused on arrival, the member
    /// present keeps their place and connection.
    public static let roleConflict = RoomError(.roleConflict)
    /// The member connected more often than the room's ``ReconnectAllowance``; refused
    /// on arrival (close 4007), the member's present connection and place unchanged.
    public static let tooManyReconnects = RoomError(.tooManyReconnects)
    /// A poll is already open in the room (one at a time).
    public static let pollAlreadyOpen = RoomError(.pollAlreadyOpen)
    /// No poll is open, or the answer names another poll than the open one.
    public static let noOpenPoll = RoomError(.noOpenPoll)
    /// The participant already answered the open poll; answers cannot be changed.
    public static let alreadyVoted = RoomError(.alreadyVoted)
    /// The choice is not an option's index (from 0) or a scale value (0–10) of the poll.
    public static let invalidChoice = RoomError(.invalidChoice)
    /// A poll with fewer than 2 or more than 6 options.
    public static let invalidPoll = RoomError(.invalidPoll)
    /// The room's policy turned reactions off.
    public static let reactionsOff = RoomError(.reactionsOff)
    /// Breakout groups are already open (one breakout at a time).
    public static let breakoutAlreadyOpen = RoomError(.breakoutAlreadyOpen)
    /// No breakout groups are open.
    public static let noBreakout = RoomError(.noBreakout)
    /// A split into fewer than 2 groups or more groups than admitted participants, a
    /// participant named twice, an empty named group, or a duration out of range.
    public static let invalidBreakout = RoomError(.invalidBreakout)
    /// No breakout group has that number.
    public static let unknownBreakoutGroup = RoomError(.unknownBreakoutGroup)
    /// The sender (a facilitator visiting no group) or the target is not in the group
    /// this needs, e.g. a participant's private message to another group.
    public static let notInBreakoutGroup = RoomError(.notInBreakoutGroup)
    /// The catalogue has no skills card with that id.
    public static let unknownCard = RoomError(.unknownCard)
    /// No card is on show, or the command names another card than the one on show.
    public static let noCard = RoomError(.noCard)
    /// The card on show has no field with that index.
    public static let unknownField = RoomError(.unknownField)
    /// The session is not one of this room's scheduled sessions absences may be recorded for.
    public static let unknownSession = RoomError(.unknownSession)
    /// The member is not enrolled and expected at the session.
    public static let notEnrolled = RoomError(.notEnrolled)
}
