extension Room {
    func checkRaiseHand(by sender: MemberState) throws(RoomError) -> CommandPlan {
        if inSideRoom(sender.id) { throw .inSideRoom }
        return handQueue.contains(sender.id) ? .nothing : .raiseHand
    }

    mutating func raiseHand(by sender: MemberState) {
        handQueue.append(sender.id)
        broadcastRoster()
    }

    /// Lowers a hand; `actor` is the facilitator who did it, `nil` for one's own.
    mutating func lowerHand(of member: MemberID, by actor: MemberID?) {
        guard handQueue.contains(member) else { return }
        handQueue.removeAll { $0 == member }
        if let actor { audit(.handCleared, by: actor, target: member) }
        broadcastRoster()
    }

    func checkClearHand(of target: MemberID, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard members[target]?.isAdmitted == true else { throw .unknownMember }
        return .lowerHand(target, clearedBy: sender.id)
    }

    /// The floor goes to the first raised hand (`nil`) or to a named admitted member.
    func checkGiveFloor(to target: MemberID?) throws(RoomError) -> CommandPlan {
        guard let target else {
            guard let first = handQueue.first else { throw .queueEmpty }
            return .giveFloor(first)
        }
        guard members[target]?.isAdmitted == true else { throw .unknownMember }
        if inSideRoom(target) { throw .inSideRoom }
        return .giveFloor(target)
    }

    /// Gives the floor to an admitted member, whose hand, if raised, is lowered.
    mutating func giveFloor(to next: MemberID, by sender: MemberState) {
        handQueue.removeAll { $0 == next }
        floor = next
        audit(.floorGiven, by: sender.id, target: next)
        broadcastRoster()
    }

    mutating func takeFloor(by sender: MemberState) {
        guard let holder = floor else { return }
        floor = nil
        audit(.floorTaken, by: sender.id, target: holder)
        broadcastRoster()
    }

    /// Steps out or comes back; time away is part of attendance.
    mutating func setAway(_ away: Bool, _ sender: MemberState) {
        guard var state = members[sender.id], state.away != away else { return }
        state.away = away
        members[sender.id] = state
        record(state, away ? .steppedOut : .steppedBack)
        broadcastRoster()
    }
}
