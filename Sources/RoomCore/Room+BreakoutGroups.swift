/// Breakout groups, continued: each group's hand queue and floor, who lands in
/// which group (a participant admitted during a breakout joins the smallest; a
/// member who reconnects is still in theirs), and the status each member sees.
extension Room {
    /// The breakout group a participant is in, or the one a facilitator visits
    /// (`nil` when no breakout is open, or for a facilitator visiting none).
    public func breakoutGroup(of member: MemberID) -> Int? { breakout?.group(of: member) }

    /// The breakout's countdown end, while one is open.
    public var breakoutEndsAt: Timestamp? { breakout?.endsAt }

    /// A raised hand joins the sender's group's queue during a breakout.
    func checkHandRaise(by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let run = breakout else { return try checkRaiseHand(by: sender) }
        if inSideRoom(sender.id) { throw .inSideRoom }
        guard let group = run.group(of: sender.id) else { throw .notInBreakoutGroup }
        return run.group(group).hands.contains(sender.id) ? .nothing : .breakout(.raiseHand(group))
    }

    /// One's own hand, or (`clearedBy` a facilitator) anyone's, in the room or in a group.
    func checkHandLower(of member: MemberID, clearedBy actor: MemberID?) -> CommandPlan {
        guard breakout != nil else { return .lowerHand(member, clearedBy: actor) }
        return .breakout(.lowerHand(member, clearedBy: actor))
    }

    func checkHandClear(of target: MemberID, by sender: MemberState) throws(RoomError) -> CommandPlan {
        _ = try checkClearHand(of: target, by: sender)
        return checkHandLower(of: target, clearedBy: sender.id)
    }

    /// During a breakout the floor is the group's: a named participant's group, or
    /// (no name) the first hand of the group the facilitator visits.
    func checkFloorGive(to target: MemberID?, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let run = breakout else { return try checkGiveFloor(to: target) }
        guard let target else {
            guard let group = run.group(of: sender.id) else { throw .notInBreakoutGroup }
            guard let first = run.group(group).hands.first else { throw .queueEmpty }
            return .breakout(.giveFloor(first, group: group))
        }
        guard let state = members[target], state.isAdmitted else { throw .unknownMember }
        if inSideRoom(target) { throw .inSideRoom }
        guard state.isParticipant, let group = run.group(of: target) else { throw .notInBreakoutGroup }
        return .breakout(.giveFloor(target, group: group))
    }

    /// Takes back the floor of the group the facilitator visits.
    func checkFloorTake(by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard let run = breakout else { return .takeFloor }
        guard let group = run.group(of: sender.id) else { throw .notInBreakoutGroup }
        return run.group(group).floor == nil ? .nothing : .breakout(.takeFloor(group))
    }

    /// A participant admitted during a breakout joins the smallest group.
    mutating func breakoutAdmitted(_ member: MemberState) {
        guard member.isParticipant, let run = breakout, run.group(of: member.id) == nil else { return }
        breakout?.place(member.id, in: run.smallest)
        breakoutChanges.insert(run.smallest)
    }

    /// A member left for good: out of their group, queue, floor and visit.
    mutating func breakoutDeparted(_ member: MemberID) {
        guard let group = breakout?.group(of: member) else { return }
        breakout?.remove(member)
        breakoutChanges.insert(group)
    }

    /// The breakout as this member may see it (with their snapshot).
    mutating func sendBreakoutState(to member: MemberState) {
        guard let run = breakout else { return }
        if member.isFacilitator {
            emit(.breakout(breakoutStatus(run, only: nil)), to: .members([member.id]))
        } else if let group = run.group(of: member.id), !inSideRoom(member.id) {
            emit(.breakout(breakoutStatus(run, only: group)), to: .members([member.id]))
        }
    }

    /// Sends what the input changed of the breakout: each changed group its own
    /// status, facilitators every group's (once per input, from ``flushBroadcasts()``).
    mutating func flushBreakout() {
        guard !breakoutChanges.isEmpty else { return }
        let changed = breakoutChanges.sorted()
        breakoutChanges = []
        guard let run = breakout else { return }
        for number in changed where run.numbers.contains(number) {
            let audience = run.group(number).members.filter { members[$0]?.isAdmitted == true && !inSideRoom($0) }
            emit(.breakout(breakoutStatus(run, only: number)), to: .members(audience))
        }
        emit(.breakout(breakoutStatus(run, only: nil)), to: .facilitators)
    }

    /// The status of group `only`, or of every group (`nil`).
    func breakoutStatus(_ run: BreakoutRun, only: Int?) -> BreakoutStatus {
        let numbers = only.map { [$0] } ?? Array(run.numbers)
        let groups = numbers.map { number -> BreakoutGroupInfo in
            let group = run.group(number)
            return BreakoutGroupInfo(
                number: number, members: group.members.compactMap(breakoutMember),
                visitors: admissionOrder.filter { run.visitors(of: number).contains($0) }.compactMap(breakoutMember),
                hands: group.hands, floor: group.floor)
        }
        return BreakoutStatus(run: run.run, groupCount: run.groups.count, endsAt: run.endsAt, groups: groups)
    }

    private func breakoutMember(_ id: MemberID) -> BreakoutMember? {
        members[id].map { BreakoutMember(member: id, alias: $0.identity.alias) }
    }

    /// Session end: the breakout's countdown is cancelled and the breakout forgotten.
    mutating func purgeBreakout() {
        if let run = breakout { cancel(.breakoutEnd(run: run.run)) }
        breakout = nil
        breakoutChanges = []
    }
}

extension MessageScope {
    /// A message to one breakout group (counted as being heard, like a group message).
    var isBreakoutGroup: Bool {
        if case .breakout = self { return true }
        return false
    }
}
