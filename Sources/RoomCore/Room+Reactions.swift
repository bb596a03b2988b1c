/// Reactions to group messages and the cues members set on themselves. Both are
/// in memory only (never in records, logs or metrics), bounded (reactions only
/// on messages still in the history, one of each kind per member per message;
/// one cue per member) and gone at the session's end; a member's cue also goes
/// when they leave. Who sees what is the room's policy (`reactions`, `cues`).
extension Room {
    /// A reaction to a group message the sender received, still in the history. Reacting
    /// is speaking to the group: a participant in a side room, muted, or while chat is
    /// paused cannot.
    func checkReaction(
        _ kind: ReactionKind, to message: MessageID, adding: Bool, by sender: MemberState
    ) throws(RoomError) -> CommandPlan {
        guard policy.reactions != .off else { throw .reactionsOff }
        try checkMayTalkToGroup(sender)
        guard let stored = messages.find(message), stored.message.scope == .group,
            stored.audience.contains(sender.id)
        else { throw .unknownMessage }
        let present = reactions.has(sender.id, reacted: kind, to: message)
        guard adding != present else { return .nothing }
        return .setReaction(kind, message: stored, on: adding)
    }

    /// Adds or takes back the reaction; those the message reached get the new tally.
    mutating func setReaction(
        _ kind: ReactionKind, on stored: MessageHistory.Stored, _ on: Bool, by sender: MemberState
    ) {
        let id = stored.message.id
        if on { reactions.add(kind, by: sender.id, to: id) } else { reactions.remove(kind, by: sender.id, from: id) }
        // Those it reached who are in the group now (not back at the door as a newcomer,
        // not in a side room).
        let audience = stored.audience.filter { members[$0]?.isAdmitted == true && !inSideRoom($0) }
        emit(.reactions(tally(of: id)), to: .members(audience))
    }

    /// The message's reactions as the policy shows them.
    func tally(of message: MessageID) -> ReactionTally {
        let reactors = reactions.reactors(of: message)
        let named = policy.reactions == .named
        let counts = ReactionKind.allCases.compactMap { kind -> ReactionCount? in
            guard let who = reactors[kind], !who.isEmpty else { return nil }
            let aliases = named ? who.map { members[$0]?.identity.alias ?? "" } : []
            return ReactionCount(kind: kind, count: who.count, aliases: aliases)
        }
        return ReactionTally(message: message, counts: counts)
    }

    /// Forgets the reactions of messages withdrawn or dropped from the history.
    mutating func pruneReactions() {
        guard !reactions.byMessage.isEmpty else { return }
        // Ids only grow and the history keeps the newest: what is older than its
        // oldest left it (a withdrawn message's reactions went with it).
        guard let oldest = messages.stored.first?.message.id else { return reactions.removeAll() }
        reactions.forget(before: oldest)
    }

    /// Sets (or clears, `nil`) the sender's cue; a repeat changes nothing.
    func checkCue(_ cue: Cue?, by sender: MemberState) -> CommandPlan {
        cues[sender.id] == cue ? .nothing : .setCue(cue)
    }

    mutating func setCue(_ cue: Cue?, of member: MemberState) {
        cues[member.id] = cue
        emit(
            .cueChanged(CueChange(member: member.id, alias: member.identity.alias, cue: cue)),
            to: cueAudience(member.id))
    }

    /// Facilitators and the member; the whole group when the policy shows markers.
    private func cueAudience(_ member: MemberID) -> Audience {
        switch policy.cues {
        case .facilitatorsOnly: .members(facilitatorIDs + [member])
        case .markers: .members(resolve(.group) + (inSideRoom(member) ? [member] : []))
        }
    }

    /// A member left: their cue is cleared (and those who saw it are told).
    mutating func clearCue(ofLeaving member: MemberState) {
        guard cues[member.id] != nil else { return }
        cues[member.id] = nil
        emit(
            .cueChanged(CueChange(member: member.id, alias: member.identity.alias, cue: nil)),
            to: cueAudience(member.id))
    }

    /// What a member arriving or resuming with a snapshot needs of the toolkit: the
    /// open poll, the cues they may see, the reactions to the messages they received.
    mutating func sendToolkitState(to member: MemberState) {
        let isFacilitator = member.isFacilitator
        if let run = poll, !inSideRoom(member.id) { emit(.pollOpened(run.info), to: .members([member.id])) }
        if isFacilitator, let progress = pollProgress { emit(.pollProgress(progress), to: .members([member.id])) }
        if isFacilitator || policy.cues == .markers {
            for id in order {
                guard let cue = cues[id], let state = members[id] else { continue }
                emit(
                    .cueChanged(CueChange(member: id, alias: state.identity.alias, cue: cue)), to: .members([member.id])
                )
            }
        } else if let own = cues[member.id] {
            emit(
                .cueChanged(CueChange(member: member.id, alias: member.identity.alias, cue: own)),
                to: .members([member.id]))
        }
        guard !inSideRoom(member.id) else { return }
        for stored in messages.stored
        where stored.audience.contains(member.id) && !reactions.reactors(of: stored.message.id).isEmpty {
            emit(.reactions(tally(of: stored.message.id)), to: .members([member.id]))
        }
    }
}
