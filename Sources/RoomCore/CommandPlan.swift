/// What an accepted command will do, with every value its check validated, so
/// that carrying it out cannot fail.
///
/// Made only by ``Room/check(_:from:)``, which reads the room and cannot change
/// it; carried out only by ``Room/apply(_:by:)``, which cannot throw. A refused
/// command therefore never reaches the code that changes the room.
enum CommandPlan {
    /// Acknowledged, nothing changes (a `ping`, or a repeat of what already holds).
    case nothing
    /// Keep this (valid) absence reason and tell the facilitators.
    case recordAbsence(AbsenceEntry)
    /// The sender accepted this (current) version of the agreement.
    case consent(version: String)
    /// Let this waiting participant in.
    case admit(MemberID)
    /// Turn away this participant, who is not admitted.
    case decline(MemberState)
    /// Lock or unlock the room.
    case setLocked(Bool)
    /// Post a valid message of this scope to this audience.
    case post(ConfidentialText, MessageScope, Audience)
    /// Take this stored message back, for this reason.
    case withdraw(MessageHistory.Stored, MessageRemoval.Reason)
    /// The sender joins the hand queue.
    case raiseHand
    /// Lower this member's hand; `clearedBy` is the facilitator who did it, `nil` for one's own.
    case lowerHand(MemberID, clearedBy: MemberID?)
    /// Give the floor to this admitted member.
    case giveFloor(MemberID)
    /// Take the floor back.
    case takeFloor
    /// Mute or unmute this participant.
    case setMuted(MemberID, Bool)
    /// Mute or unmute every participant.
    case setAllMuted(Bool)
    /// Pause or resume group chat.
    case setChatPaused(Bool)
    /// Remove this participant for the rest of the session.
    case remove(MemberState)
    /// End the session for everyone.
    case endSession
    /// The sender steps out (`true`) or comes back.
    case setAway(Bool)
    /// Open a round from this template, closing at this time if any.
    case startCheckIn(CheckInTemplate, closesAt: Timestamp?)
    /// The sender's valid answer or pass to the open round.
    case respondToCheckIn(CheckInResponse.Outcome)
    /// Close the open round.
    case closeCheckIn
    /// Start this exercise (it has at least one phase).
    case startExercise(Exercise)
    /// Pause the running exercise.
    case pauseExercise
    /// Resume the paused exercise.
    case resumeExercise
    /// Skip the running exercise's phase.
    case skipExercisePhase
    /// Stop the exercise.
    case stopExercise
    /// The sender sits the exercise out.
    case sitOutExercise
    /// The sender, sitting out, rejoins the exercise.
    case rejoinExercise
    /// Raise (or refresh) the sender's crisis alert.
    case raiseCrisisAlert
    /// Acknowledge the open alert at this index of the room's alerts.
    case acknowledgeCrisis(index: Int)
    /// Start the agenda item at this (valid) index.
    case startAgendaItem(Int)
    /// Clear the agenda timer.
    case endAgenda
    /// Open a side room with this admitted participant.
    case openSideRoom(MemberState)
    /// Close this side room.
    case closeSideRoom(SideRoomInfo)
    /// Open this (valid) poll, closing at this time if any.
    case askPoll(PollRequest, closesAt: Timestamp?)
    /// Count this valid choice of the open poll (the sender has not answered).
    case vote(Int)
    /// Close the open poll.
    case closePoll
    /// Add (`on`) or take back the sender's reaction to this stored group message.
    case setReaction(ReactionKind, message: MessageHistory.Stored, on: Bool)
    /// Set or clear the sender's cue.
    case setCue(Cue?)
    /// A breakout command's plan (``Room/BreakoutPlan``).
    case breakout(Room.BreakoutPlan)
    /// Send the balance to the sender.
    case sendBalance
    /// Mark now as the moment of "not yet heard", and send the balance.
    case markBalance
    /// Show this card from the catalogue (replacing the one on show).
    case showCard(SkillsCard)
    /// Take the card on show down.
    case withdrawCard
    /// Keep the sender's valid value of this field of the card on show (empty clears it).
    case fillCard(field: Int, ConfidentialText)
    /// Show facilitators the sender's values.
    case shareCard
}
