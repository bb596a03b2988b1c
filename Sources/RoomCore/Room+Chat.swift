extension Room {
    /// Every message of every scope (group, to facilitators, private, back channel,
    /// side room) passes the room's one text limit: characters and bytes.
    func validate(_ text: ConfidentialText) throws(RoomError) {
        switch text.check(TextLimit(characters: policy.maximumMessageLength)) {
        case .accepted: return
        case .empty: throw .emptyMessage
        case .tooManyCharacters, .tooManyBytes, .characterTooComplex: throw .messageTooLong
        }
    }

    /// The checks group chat applies to a participant (facilitators are exempt).
    func checkMayTalkToGroup(_ sender: MemberState) throws(RoomError) {
        guard sender.isParticipant else { return }
        if inSideRoom(sender.id) { throw .inSideRoom }
        if sender.muted { throw .muted }
        if chatPaused { throw .chatPaused }
    }

    func checkChat(_ text: ConfidentialText, by sender: MemberState) throws(RoomError) -> CommandPlan {
        try checkMayTalkToGroup(sender)
        try validate(text)
        return .post(text, .group, .group)
    }

    func checkToFacilitators(_ text: ConfidentialText, by sender: MemberState) throws(RoomError) -> CommandPlan {
        try validate(text)
        return .post(text, .toFacilitators, .members(facilitatorIDs + [sender.id]))
    }

    /// One-to-one: facilitator whisper, participant to a facilitator, or participant to
    /// participant when the policy allows (then group-chat rules apply too).
    func checkPrivateMessage(
        _ text: ConfidentialText, to target: MemberID, by sender: MemberState
    ) throws(RoomError) -> CommandPlan {
        guard let recipient = members[target], recipient.isAdmitted else { throw .unknownMember }
        guard target != sender.id else { throw .invalidTarget }
        if sender.isParticipant, recipient.isParticipant {
            guard policy.participantPrivateMessages else { throw .privateMessagesDisabled }
            if inSideRoom(target) { throw .inSideRoom }
            try checkMayTalkToGroup(sender)
        }
        try validate(text)
        return .post(text, .direct(to: target), .members([sender.id, target]))
    }

    func checkBackChannel(_ text: ConfidentialText) throws(RoomError) -> CommandPlan {
        try validate(text)
        return .post(text, .backChannel, .facilitators)
    }

    func checkSideRoomMessage(_ text: ConfidentialText, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let room = sideRooms.first(where: { $0.participant == sender.id || $0.facilitator == sender.id })
        else { throw .notInSideRoom }
        try validate(text)
        return .post(text, .sideRoom(participant: room.participant), .members([room.participant, room.facilitator]))
    }

    mutating func post(
        _ text: ConfidentialText, scope: MessageScope, by sender: MemberState, to audience: Audience
    ) {
        let message = ChatMessage(
            id: messages.nextID(), from: sender.id, alias: sender.identity.alias,
            role: sender.identity.role, scope: scope, text: text, sentAt: now)
        // The sender's copy answers its command (`Delivery.ownCopy`): once, for the command's own sender.
        let ownCopy = answering?.member == sender.id ? answering : nil
        answering = nil
        let reached = emit(.message(message), to: audience, ownCopy: ownCopy)
        messages.keep(message, reached: reached)
    }

    func checkDelete(_ id: MessageID, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let stored = messages.find(id) else { throw .unknownMessage }
        guard stored.message.from == sender.id else {
            // Someone else's message: do not reveal whether a private one exists.
            throw canSee(stored, sender) ? .notPermitted : .unknownMessage
        }
        return .withdraw(stored, .deleted)
    }

    func checkRedact(_ id: MessageID, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let stored = messages.find(id), canSee(stored, sender)
        else { throw .unknownMessage }
        return .withdraw(stored, .redacted)
    }

    /// A facilitator may act on group, back-channel and to-facilitators messages and on
    /// any message they received; nobody acts on a private message they never saw.
    private func canSee(_ stored: MessageHistory.Stored, _ member: MemberState) -> Bool {
        if stored.audience.contains(member.id) { return true }
        switch stored.message.scope {
        case .group: return true
        case .toFacilitators, .backChannel: return member.isFacilitator
        case .direct, .sideRoom: return false
        case .breakout: return member.isFacilitator
        case .breakoutBroadcast: return true
        }
    }

    /// Removes a message from memory and from the replay buffer, and tells whoever had it.
    mutating func withdraw(_ stored: MessageHistory.Stored, reason: MessageRemoval.Reason, by sender: MemberState) {
        let removal = MessageRemoval(message: stored.message.id, reason: reason)
        messages.remove(removal.message)
        replay.withdraw(removal)
        // Only those who received it (live, or in a late joiner's backlog) hear of its removal.
        let audience = stored.audience.filter { members[$0]?.isAdmitted == true }
        emit(.messageRemoved(removal), to: .members(audience))
        let action: ModerationAction = reason == .redacted ? .messageRedacted : .messageDeleted
        audit(action, by: sender.id, target: stored.message.from, message: removal.message)
    }
}
