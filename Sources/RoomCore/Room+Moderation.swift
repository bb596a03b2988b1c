extension Room {
    /// Finds an admitted participant to act on: `unknown_member` if absent, `invalid_target` for a facilitator.
    func participantTarget(_ target: MemberID, admittedOnly: Bool = true) throws(RoomError) -> MemberState {
        guard let state = members[target], state.isAdmitted || !admittedOnly else { throw .unknownMember }
        guard state.isParticipant else { throw .invalidTarget }
        return state
    }

    /// Mutes or unmutes a participant at any stage; one muted before admission
    /// arrives in the room muted.
    mutating func setMuted(_ muted: Bool, _ target: MemberID, by sender: MemberState) {
        guard var state = members[target], state.muted != muted else { return }
        state.muted = muted
        members[target] = state
        audit(muted ? .muted : .unmuted, by: sender.id, target: target)
        if state.isAdmitted { broadcastRoster() }
    }

    /// Mutes or unmutes every participant; while all are muted, newcomers arrive muted.
    mutating func setAllMuted(_ muted: Bool, by sender: MemberState) {
        allMuted = muted
        for id in order where members[id]?.isParticipant == true {
            members[id]?.muted = muted
        }
        audit(muted ? .mutedAll : .unmutedAll, by: sender.id)
        broadcastRoster()
    }

    mutating func setChatPaused(_ paused: Bool, by sender: MemberState) {
        guard chatPaused != paused else { return }
        chatPaused = paused
        audit(paused ? .chatPaused : .chatResumed, by: sender.id)
        emit(.chatPauseChanged(paused: paused), to: .group)
    }

    /// Removes a participant (at any stage) for the rest of the session.
    mutating func remove(_ target: MemberState, by sender: MemberState) {
        banned[target.id] = .removed
        if let connection = target.connection {
            outbox.append(.disconnect(target.id, connection, .removed))
        }
        audit(.removed, by: sender.id, target: target.id)
        depart(target.id, reason: .removed)
    }

    /// Ends the session: everyone is told, timers cancelled, attendance closed,
    /// connections closed, and all content purged from memory.
    mutating func endSession(by actor: MemberID) {
        emit(.sessionEnded, to: .everyone)
        cancelAllTimers()
        for alert in alerts.open {
            audit(.crisisAlertOpenAtEnd, by: nil, target: alert.member, alert: alert.id)
        }
        audit(.sessionEnded, by: actor)
        for id in order {
            guard let state = members[id] else { continue }
            if let lostAt = state.lostAt, !state.lossAnnounced { record(state, .connectionLost, at: lostAt) }
            record(state, .left(.sessionEnded))
            if let connection = state.connection {
                outbox.append(.disconnect(id, connection, .sessionEnded))
            }
        }
        endedSessionMembers = Set(order)
        phase = .ended(at: now)
        purge()
    }

    /// Cancels every timer still pending, so that none outlives the session into
    /// the next one (whose counters start again).
    private mutating func cancelAllTimers() {
        for id in order {
            guard let state = members[id] else { continue }
            if policy.idleLogoff.after != nil { cancel(.idleCheck(id)) }
            guard state.connection == nil else { continue }
            cancel(.reconnectWindow(id))
            if !state.lossAnnounced { cancel(.presenceGrace(id)) }
        }
        if let round = checkIn, round.info.closesAt != nil { cancel(.checkInDeadline(round: round.info.round)) }
        if let run = exercise, !run.isPaused { cancel(run.timer) }
        if let agenda { cancel(.agendaItem(run: agenda.run)) }
        if let run = poll, run.info.closesAt != nil { cancel(.pollDeadline(poll: run.info.poll)) }
    }

    private mutating func purge() {
        members.removeAll()
        order.removeAll()
        admissionOrder.removeAll()
        handQueue.removeAll()
        floor = nil
        messages.removeAll()
        replay.purge()
        checkIn = nil
        exercise = nil
        agenda = nil
        alerts.removeAll()
        sideRooms.removeAll()
        purgeToolkit()
        purgeBreakout()
        card = nil
    }
}
