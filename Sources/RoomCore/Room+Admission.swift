extension Room {
    func checkAgreement(_ version: String, by sender: MemberState) throws(RoomError) -> CommandPlan {
        guard version == configuration.agreement.version else { throw .agreementVersionMismatch }
        // Already accepted this version: acknowledged, nothing changes.
        return consents[sender.id] == version ? .nothing : .consent(version: version)
    }

    mutating func consent(_ version: String, by sender: MemberState) {
        consents[sender.id] = version
        record(sender, .consented(version: version))
        if sender.stage == .needsAgreement { enterWaitingRoom(sender.id) }
    }

    /// Moves an agreed participant to the waiting room, or straight in on auto-admit.
    mutating func enterWaitingRoom(_ id: MemberID) {
        guard var state = members[id] else { return }
        if policy.autoAdmit || admitsOnArrival.contains(id) || returning.contains(id) {
            admitMember(id, by: nil)
            return
        }
        state.stage = .waiting
        state.since = now
        members[id] = state
        emit(.waitingForAdmission, to: .members([id]))
        broadcastWaitingRoom()
    }

    func checkAdmit(_ target: MemberID) throws(RoomError) -> CommandPlan {
        guard let state = members[target] else { throw .unknownMember }
        guard state.stage == .waiting else { throw .notWaiting }
        return .admit(target)
    }

    mutating func admit(_ target: MemberID, by sender: MemberState) {
        admitMember(target, by: sender.id)
        audit(.admitted, by: sender.id, target: target)
        broadcastWaitingRoom()
    }

    /// Lets a member in: snapshot (and backlog if allowed) to them, roster to the group.
    private mutating func admitMember(_ id: MemberID, by admitter: MemberID?) {
        guard var state = members[id] else { return }
        state.stage = .admitted
        state.since = now
        returning.remove(id)
        state.muted = state.muted || allMuted  // muted while waiting: still muted
        members[id] = state
        admissionOrder.append(id)
        record(state, .admitted(by: admitter))
        watchIdle(id)
        sendSnapshot(to: state)
        if policy.lateJoinersSeeBacklog {
            let backlog = messages.groupBacklog
            if !backlog.isEmpty { emit(.backlog(backlog), to: .members([id])) }
            // They received these now: a later removal reaches them too.
            messages.addToGroupAudience(id)
        }
        broadcastRoster()
        if checkIn != nil { sendCheckInProgress() }
        toolkitAdmitted(state)
        breakoutAdmitted(state)
    }

    /// Turns away a participant who is not admitted: waiting, or still before the
    /// agreement (so a facilitator can stop someone they never admitted, e.g. one who
    /// keeps raising alerts from the door).
    func checkDecline(_ target: MemberID) throws(RoomError) -> CommandPlan {
        guard let state = members[target] else { throw .unknownMember }
        guard state.stage != .admitted else { throw .notWaiting }
        return .decline(state)
    }

    mutating func decline(_ target: MemberState, by sender: MemberState) {
        banned[target.id] = .declined
        if let connection = target.connection {
            outbox.append(.disconnect(target.id, connection, .declined))
        }
        audit(.declined, by: sender.id, target: target.id)
        depart(target.id, reason: .declined)
    }

    mutating func setLocked(_ value: Bool, by sender: MemberState) {
        guard locked != value else { return }
        locked = value
        audit(value ? .locked : .unlocked, by: sender.id)
        emit(.lockChanged(locked: value), to: .facilitators)
    }
}
