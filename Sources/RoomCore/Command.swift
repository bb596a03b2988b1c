/// A command a member sends to the room; every one is acknowledged or refused.
///
/// Who may send each command, and the refusal codes, are listed in
/// ``Room/requirement(of:)`` and documented per case here.
public enum Command: Hashable, Sendable {
    // MARK: Agreement and admission
    /// Accept the group agreement of this version (anyone connected).
    case acceptAgreement(version: String)
    /// Let a waiting participant in (facilitator).
    case admit(MemberID)
    /// Turn a waiting participant away for the rest of the session (facilitator).
    case decline(MemberID)
    /// Refuse newcomers; admitted members may still resume (facilitator).
    case lockRoom
    /// Accept newcomers again (facilitator).
    case unlockRoom

    // MARK: Messages
    /// Post to the group (admitted; participants not muted, chat not paused).
    case sendChat(ConfidentialText)
    /// Private message to every facilitator (admitted participant).
    case messageFacilitators(ConfidentialText)
    /// Private one-to-one message (facilitator whisper, participant to a facilitator,
    /// or participant to participant when the policy allows).
    case privateMessage(to: MemberID, ConfidentialText)
    /// Message in the facilitators' back-channel (facilitator).
    case backChannel(ConfidentialText)
    /// Message in the side room the sender is in (its facilitator or participant).
    case sideRoomMessage(ConfidentialText)
    /// Delete one's own message (admitted).
    case deleteMessage(MessageID)
    /// Redact any message the facilitator can see (facilitator).
    case redactMessage(MessageID)

    // MARK: Hands and floor
    /// Raise one's hand, joining the back of the queue (admitted participant).
    case raiseHand
    /// Lower one's own hand (admitted).
    case lowerHand
    /// Lower someone else's hand (facilitator).
    case clearHand(MemberID)
    /// Give the floor to the next in the queue (`nil`) or to a named member (facilitator).
    case giveFloor(to: MemberID?)
    /// Take the floor back (facilitator).
    case takeFloor

    // MARK: Moderation
    /// Mute one participant (facilitator).
    case mute(MemberID)
    /// Unmute one participant (facilitator).
    case unmute(MemberID)
    /// Mute every participant, including those admitted later (facilitator).
    case muteAll
    /// Unmute every participant (facilitator).
    case unmuteAll
    /// Pause group chat for participants (facilitator).
    case pauseChat
    /// Resume group chat (facilitator).
    case resumeChat
    /// Remove a participant for the rest of the session (facilitator).
    case remove(MemberID)
    /// End the session for everyone (facilitator).
    case endSession

    // MARK: Check-in
    /// Start a round from a template, optionally closing after a timeout (facilitator).
    case startCheckIn(templateID: String, timeout: Duration?)
    /// Answer the open round (admitted participant).
    case answerCheckIn(CheckInAnswer)
    /// Pass on the open round (admitted participant).
    case passCheckIn
    /// Close the open round (facilitator).
    case closeCheckIn

    // MARK: Exercises
    /// Start an exercise from the catalogue (facilitator).
    case startExercise(exerciseID: String)
    /// Pause the running exercise (facilitator).
    case pauseExercise
    /// Resume the paused exercise (facilitator).
    case resumeExercise
    /// Skip to the next phase (facilitator).
    case skipExercisePhase
    /// Stop the exercise (facilitator).
    case stopExercise
    /// Sit the current exercise out (admitted participant).
    case sitOutExercise
    /// Rejoin the current exercise after sitting out (admitted participant).
    case rejoinExercise

    // MARK: Safety
    /// Alert every facilitator privately (any connected participant, even waiting or muted).
    case crisisAlert
    /// Acknowledge an open crisis alert (facilitator).
    case acknowledgeCrisis(AlertID)

    // MARK: Agenda, presence, side room
    /// Start an agenda item by its index in the room's agenda (facilitator).
    case startAgendaItem(index: Int)
    /// Clear the agenda timer (facilitator).
    case endAgenda
    /// Step away without leaving (admitted).
    case stepOut
    /// Come back after stepping out (admitted).
    case comeBack
    /// Take a participant into a one-to-one side room (facilitator).
    case openSideRoom(with: MemberID)
    /// Bring a participant back from their side room (facilitator).
    case closeSideRoom(with: MemberID)

    // MARK: Polls, reactions, cues, balance
    /// Ask an anonymous poll; one open at a time (facilitator).
    case askPoll(PollRequest)
    /// Answer the open poll with this number, once: an option's index from 0, or a
    /// scale value 0–10 (admitted participant).
    case votePoll(poll: UInt64, choice: Int)
    /// Close the open poll (facilitator).
    case closePoll
    /// React to a group message one received (admitted).
    case react(MessageID, ReactionKind)
    /// Take one's reaction back (admitted).
    case unreact(MessageID, ReactionKind)
    /// Set one's own cue (admitted participant).
    case setCue(Cue)
    /// Clear one's own cue (admitted participant).
    case clearCue
    /// Ask for the participation balance (facilitator).
    case getBalance
    /// "Not yet heard from" counts from now (facilitator).
    case markBalance

    // MARK: Skills cards
    /// Show a skills card from the catalogue to the room, replacing any card on show (facilitator).
    case showCard(cardID: String)
    /// Take the card on show down; what was filled in on it is forgotten (facilitator).
    case withdrawCard
    /// Fill in one field (index from 0) of the card on show, privately; blank text
    /// clears it (admitted participant).
    case fillCard(card: UInt64, field: Int, ConfidentialText)
    /// Show facilitators what one filled in on the card on show (admitted participant).
    case shareCard(card: UInt64)

    // MARK: Breakout groups
    /// Split the admitted participants into groups for a while; one breakout at a time (facilitator).
    case startBreakout(BreakoutRequest)
    /// Join breakout group `group` (from 1): see its chat and speak in it (facilitator).
    case visitBreakout(group: Int)
    /// Write to every breakout group at once (facilitator).
    case broadcastToBreakouts(ConfidentialText)
    /// Bring everyone back from the breakout groups (facilitator).
    case endBreakout

    // MARK: Program
    /// Record why an enrolled member missed a scheduled session (facilitator). An entry
    /// without a reason clears it, as ``clearAbsence(member:session:)`` does.
    case recordAbsence(AbsenceEntry)
    /// Clear the reason recorded for a member and a scheduled session (facilitator).
    case clearAbsence(member: MemberID, session: String)

    // MARK: Connection
    /// Nothing but the acknowledgement (anyone connected): the client measures the
    /// round trip through the room with it.
    case ping
}
