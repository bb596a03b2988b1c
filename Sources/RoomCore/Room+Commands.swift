extension Room {
    /// Who may send a command and how far into the room they must be.
    ///
    /// Checks run in this order, the first failing one giving the code:
    /// `session_ended`, `removed`/`declined`, `not_connected`, `not_permitted`
    /// (role), `agreement_required`, `not_admitted`, then the command's own rules
    /// (`muted`, `chat_paused`, `in_side_room`, `message_too_long`...).
    public static func requirement(of command: Command) -> CommandRequirement {
        switch command {
        case .acceptAgreement, .ping:
            return CommandRequirement(role: nil, stage: .connected)
        case .crisisAlert:
            return CommandRequirement(role: .participant, stage: .connected)
        case .sendChat, .privateMessage, .sideRoomMessage, .deleteMessage, .lowerHand, .stepOut, .comeBack:
            return CommandRequirement(role: nil, stage: .admitted)
        case .messageFacilitators, .raiseHand, .answerCheckIn, .passCheckIn, .sitOutExercise, .rejoinExercise:
            return CommandRequirement(role: .participant, stage: .admitted)
        case .admit, .decline, .lockRoom, .unlockRoom, .backChannel, .redactMessage, .clearHand, .giveFloor,
            .takeFloor, .mute, .unmute, .muteAll, .unmuteAll, .pauseChat, .resumeChat, .remove, .endSession,
            .startCheckIn, .closeCheckIn, .startExercise, .pauseExercise, .resumeExercise, .skipExercisePhase,
            .stopExercise, .acknowledgeCrisis, .startAgendaItem, .endAgenda, .openSideRoom, .closeSideRoom:
            return CommandRequirement(role: .facilitator, stage: .admitted)
        }
    }

    /// Applies the common gate of ``requirement(of:)`` and returns the sender's state.
    func admittedSender(_ member: MemberID, for command: Command) throws(RoomError) -> MemberState {
        if ended { throw .sessionEnded }
        switch banned[member] {
        case .removed?: throw .removed
        case .declined?: throw .declined
        default: break
        }
        guard let sender = members[member], sender.connection != nil else { throw .notConnected }
        let requirement = Room.requirement(of: command)
        if let role = requirement.role, role != sender.identity.role { throw .notPermitted }
        guard requirement.stage == .admitted, sender.isParticipant else { return sender }
        if sender.stage == .needsAgreement { throw .agreementRequired }
        if sender.stage == .waiting { throw .notAdmitted }
        return sender
    }

    mutating func perform(_ command: Command, by sender: MemberState) throws(RoomError) {
        switch command {
        case .acceptAgreement(let version): try acceptAgreement(version, by: sender)
        case .admit(let target): try admit(target, by: sender)
        case .decline(let target): try decline(target, by: sender)
        case .lockRoom: setLocked(true, by: sender)
        case .unlockRoom: setLocked(false, by: sender)
        case .sendChat(let text): try sendChat(text, by: sender)
        case .messageFacilitators(let text): try messageFacilitators(text, by: sender)
        case .privateMessage(let target, let text): try privateMessage(text, to: target, by: sender)
        case .backChannel(let text): try backChannel(text, by: sender)
        case .sideRoomMessage(let text): try sideRoomMessage(text, by: sender)
        case .deleteMessage(let id): try deleteMessage(id, by: sender)
        case .redactMessage(let id): try redactMessage(id, by: sender)
        case .ping: break
        default: try performModeration(command, by: sender)
        }
    }

    private mutating func performModeration(_ command: Command, by sender: MemberState) throws(RoomError) {
        switch command {
        case .raiseHand: try raiseHand(by: sender)
        case .lowerHand: lowerHand(of: sender.id, by: nil)
        case .clearHand(let target): try clearHand(of: target, by: sender)
        case .giveFloor(let target): try giveFloor(to: target, by: sender)
        case .takeFloor: takeFloor(by: sender)
        case .mute(let target): try setMuted(true, target, by: sender)
        case .unmute(let target): try setMuted(false, target, by: sender)
        case .muteAll: setAllMuted(true, by: sender)
        case .unmuteAll: setAllMuted(false, by: sender)
        case .pauseChat: setChatPaused(true, by: sender)
        case .resumeChat: setChatPaused(false, by: sender)
        case .remove(let target): try remove(target, by: sender)
        case .endSession: endSession(by: sender.id)
        case .stepOut: setAway(true, sender)
        case .comeBack: setAway(false, sender)
        default: try performActivity(command, by: sender)
        }
    }

    private mutating func performActivity(_ command: Command, by sender: MemberState) throws(RoomError) {
        switch command {
        case .startCheckIn(let template, let timeout): try startCheckIn(template, timeout: timeout)
        case .answerCheckIn(let answer): try respondToCheckIn(.answered(answer), by: sender)
        case .passCheckIn: try respondToCheckIn(.passed, by: sender)
        case .closeCheckIn: try closeCheckIn()
        case .startExercise(let id): try startExercise(id)
        case .pauseExercise: try pauseExercise()
        case .resumeExercise: try resumeExercise()
        case .skipExercisePhase: try skipExercisePhase()
        case .stopExercise: try stopExercise()
        case .sitOutExercise: try sitOutExercise(sender)
        case .rejoinExercise: try rejoinExercise(sender)
        case .crisisAlert: raiseCrisisAlert(by: sender)
        case .acknowledgeCrisis(let alert): try acknowledgeCrisis(alert, by: sender)
        case .startAgendaItem(let index): try startAgendaItem(index)
        case .endAgenda: endAgenda()
        case .openSideRoom(let target): try openSideRoom(with: target, by: sender)
        case .closeSideRoom(let target): try closeSideRoom(with: target, by: sender)
        default: break  // every command is handled by one of the three switches
        }
    }
}
