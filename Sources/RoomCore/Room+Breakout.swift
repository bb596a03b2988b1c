/// Breakout groups: a facilitator splits the admitted participants into groups
/// (``BreakoutRun``), each with its own chat, hand queue and floor, under one
/// countdown; facilitators visit any group (see and speak in its chat), write to
/// all groups at once, and bring everyone back (also when the countdown ends).
/// One breakout at a time; gone at the session's end.
///
/// Isolation: a group's messages and its status reach only its participants (in
/// the group, not in a side room) and the facilitators visiting it; facilitators
/// see every group's status. Everything else (crisis alerts, mutes, removal, the
/// agreement and admission) is the room's and works unchanged.
extension Room {
    /// What an accepted breakout command does.
    enum BreakoutPlan {
        /// Open a breakout of these groups until this instant.
        case start([[MemberID]], endsAt: Timestamp)
        /// The sender visits this group.
        case visit(Int)
        /// Bring everyone back.
        case end
        /// The sender raises their hand in this group.
        case raiseHand(Int)
        /// Lower this member's hand; `clearedBy` is the facilitator who did it.
        case lowerHand(MemberID, clearedBy: MemberID?)
        /// Give this group's floor to this member.
        case giveFloor(MemberID, group: Int)
        /// Take this group's floor back.
        case takeFloor(Int)
    }

    /// Admitted participants, in roster order.
    var admittedParticipants: [MemberID] {
        admissionOrder.filter { members[$0]?.isAdmitted == true && members[$0]?.isParticipant == true }
    }

    func checkStartBreakout(_ request: BreakoutRequest) throws(RoomError) -> CommandPlan {
        guard breakout == nil else { throw .breakoutAlreadyOpen }
        guard BreakoutRequest.durations.contains(request.duration) else { throw .invalidBreakout }
        let groups = try BreakoutAssignment.groups(
            request.split, of: admittedParticipants,
            heard: { balance.tallies[$0].map { ($0.messages, $0.floor) } ?? (0, .zero) },
            isFacilitator: { members[$0]?.isFacilitator == true })
        return .breakout(.start(groups, endsAt: now + request.duration))
    }

    func checkVisitBreakout(_ group: Int, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let run = breakout else { throw .noBreakout }
        guard run.numbers.contains(group) else { throw .unknownBreakoutGroup }
        return run.group(of: sender.id) == group ? .nothing : .breakout(.visit(group))
    }

    func checkBreakoutBroadcast(_ text: ConfidentialText) throws(RoomError) -> CommandPlan {
        guard breakout != nil else { throw .noBreakout }
        try validate(text)
        return .post(text, .breakoutBroadcast, .group)
    }

    func checkEndBreakout() throws(RoomError) -> CommandPlan {
        guard breakout != nil else { throw .noBreakout }
        return .breakout(.end)
    }

    /// Group chat: during a breakout it goes to the sender's group (a facilitator's
    /// to the group they visit; one visiting none is refused `not_in_breakout_group`).
    func checkGroupChat(_ text: ConfidentialText, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let run = breakout else { return try checkChat(text, by: sender) }
        try checkMayTalkToGroup(sender)
        guard let group = run.group(of: sender.id) else { throw .notInBreakoutGroup }
        try validate(text)
        return .post(text, .breakout(group: group), .members(breakoutAudience(group, of: run)))
    }

    /// A participant's private message to a participant of another group is refused.
    func checkPrivateMessageInBreakout(
        _ text: ConfidentialText, to target: MemberID, by sender: MemberState
    ) throws(RoomError) -> CommandPlan {
        let plan = try checkPrivateMessage(text, to: target, by: sender)
        if let run = breakout, sender.isParticipant, members[target]?.isParticipant == true,
            run.group(of: sender.id) != run.group(of: target)
        {
            throw .notInBreakoutGroup
        }
        return plan
    }

    /// Who hears group `number`: its participants in the room (not in a side room)
    /// and the facilitators visiting it.
    func breakoutAudience(_ number: Int, of run: BreakoutRun) -> [MemberID] {
        let inGroup = run.group(number).members.filter { members[$0]?.isAdmitted == true && !inSideRoom($0) }
        return inGroup + run.visitors(of: number)
    }

    mutating func apply(_ plan: BreakoutPlan, by sender: MemberState) {
        switch plan {
        case .start(let groups, let endsAt):
            lastBreakout += 1
            breakout = BreakoutRun(run: lastBreakout, endsAt: endsAt, groups: groups)
            // Hands and floor start afresh in each group, and in the room when everyone is back.
            handQueue.removeAll()
            floor = nil
            schedule(.breakoutEnd(run: lastBreakout), at: endsAt)
            breakoutChanges = Set(1...groups.count)
            broadcastRoster()
        case .visit(let group):
            if let left = breakout?.group(of: sender.id) { breakoutChanges.insert(left) }
            breakout?.visit(group, by: sender.id)
            breakoutChanges.insert(group)
        case .end:
            if let run = breakout { cancel(.breakoutEnd(run: run.run)) }
            finishBreakout(.ended)
        case .raiseHand(let group):
            breakout?.raiseHand(sender.id, in: group)
            balance.raisedHand(sender)
            breakoutChanges.insert(group)
        case .lowerHand(let member, let actor):
            guard let group = breakout?.group(of: member), breakout?.lowerHand(member) == true else { return }
            if let actor { audit(.handCleared, by: actor, target: member) }
            breakoutChanges.insert(group)
        case .giveFloor(let member, let group):
            breakout?.setFloor(member, in: group)
            audit(.floorGiven, by: sender.id, target: member)
            breakoutChanges.insert(group)
        case .takeFloor(let group):
            guard let holder = breakout?.group(group).floor else { return }
            breakout?.setFloor(nil, in: group)
            audit(.floorTaken, by: sender.id, target: holder)
            breakoutChanges.insert(group)
        }
    }

    /// The countdown ran out: everyone comes back.
    mutating func breakoutTimeUp(run: UInt64) {
        guard breakout?.run == run else { return }
        finishBreakout(.timeUp)
    }

    private mutating func finishBreakout(_ reason: BreakoutEnd.Reason) {
        guard let run = breakout else { return }
        breakout = nil
        breakoutChanges = []
        let admitted = order.filter { members[$0]?.isAdmitted == true }
        emit(.breakoutEnded(BreakoutEnd(run: run.run, reason: reason)), to: .members(admitted))
        broadcastRoster()
    }
}
