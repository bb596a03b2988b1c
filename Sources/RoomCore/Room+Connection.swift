extension Room {
    /// An authenticated member opened a connection.
    ///
    /// `lastSequence` is the last event sequence number the client saw, if it is
    /// resuming. A member still known to the room (connected or within the reconnect
    /// window) resumes their place and gets exactly the events they missed, or a fresh
    /// snapshot if the buffer no longer holds them all; an older connection of theirs
    /// is closed first. Anyone else arrives as new. A refused connection gets a single
    /// `disconnect(.refused(...))` effect and changes nothing else: a member already
    /// present (for instance with the same id and the other role, `role_conflict`)
    /// keeps their place and connection.
    ///
    /// After the end, the first arrival opens the next session: a participant waits
    /// in its waiting room for a facilitator, as in a room never opened. Only a
    /// client of the ended session that resumes (`lastSequence` set) is refused
    /// with `session_ended`, once: it may have missed `session.ended` while away.
    public mutating func memberConnected(
        _ identity: MemberIdentity, connection: ConnectionID, lastSequence: SequenceNumber? = nil,
        at now: Timestamp
    ) -> [Effect] {
        begin(at: now)
        if lastSequence != nil, endedSessionMembers.remove(identity.id) != nil, members[identity.id] == nil {
            return [.disconnect(identity.id, connection, .refused(.sessionEnded))]
        }
        if phase != .open { startNextSession() }
        if let refusal = connectionRefusal(for: identity) {
            return [.disconnect(identity.id, connection, .refused(refusal))]
        }
        reconnectBudgets = reconnectBudgets.filter { $0.value > self.now }
        guard let fullAt = policy.reconnectAllowance.take(reconnectBudgets[identity.id], at: self.now) else {
            return [.disconnect(identity.id, connection, .refused(.tooManyReconnects))]
        }
        reconnectBudgets[identity.id] = fullAt
        endedSessionMembers.remove(identity.id)
        if let existing = members[identity.id] {
            if let old = existing.connection {
                outbox.append(.disconnect(identity.id, old, .replacedByNewerConnection))
            }
            resume(identity.id, connection: connection, lastSequence: lastSequence)
        } else {
            arrive(identity, connection: connection)
        }
        return drain()
    }

    /// Opens the next session of an ended room: a fresh room of the same
    /// configuration (sequence numbers, ids and counters start again), which still
    /// knows who was present at the end.
    private mutating func startNextSession() {
        var next = Room(configuration: configuration, openedAt: now)
        next.endedSessionMembers = endedSessionMembers
        next.admitsOnArrival = admitsOnArrival
        next.recordableAbsences = recordableAbsences
        self = next
    }

    /// A member's connection closed. A late report about an older, replaced
    /// connection is ignored.
    public mutating func memberDisconnected(
        _ member: MemberID, connection: ConnectionID, cause: DisconnectCause, at now: Timestamp
    ) -> [Effect] {
        begin(at: now)
        guard phase == .open, var state = members[member], state.connection == connection else { return [] }
        switch cause {
        case .closedByClient:
            depart(member, reason: .closedByClient)
        case .connectionLost:
            // Kept quiet for the presence grace: a connection resumed sooner changes no
            // roster and writes no attendance row (see `presenceGraceEnded`).
            state.connection = nil
            state.lostAt = self.now
            state.lossAnnounced = false
            members[member] = state
            schedule(.reconnectWindow(member), at: self.now + policy.reconnectWindow)
            schedule(.presenceGrace(member), at: self.now + min(policy.presenceGrace, policy.reconnectWindow))
        }
        return drain()
    }

    /// A lost connection stayed lost for the presence grace: attendance gets the loss,
    /// dated when it happened, and the group sees the member as reconnecting.
    mutating func presenceGraceEnded(_ member: MemberID) {
        guard var state = members[member], state.connection == nil, !state.lossAnnounced, let lostAt = state.lostAt
        else { return }
        state.lossAnnounced = true
        members[member] = state
        record(state, .connectionLost, at: lostAt)
        announcePresenceChange(of: state)
    }

    private func connectionRefusal(for identity: MemberIdentity) -> RoomError? {
        if let ban = banned[identity.id] { return ban.refusal }
        if let existing = members[identity.id] {
            return existing.identity.role == identity.role ? nil : .roleConflict
        }
        guard identity.role == .participant else { return nil }
        // A locked room still lets its restored places back in (``restore(_:at:)``).
        if locked, !returning.contains(identity.id) { return .roomLocked }
        let seats = members.values.filter(\.isParticipant).count
        return seats >= configuration.definition.capacity ? .roomFull : nil
    }

    private mutating func arrive(_ identity: MemberIdentity, connection: ConnectionID) {
        let stage: AdmissionStage = identity.role == .facilitator ? .admitted : .needsAgreement
        let state = MemberState(identity: identity, connection: connection, stage: stage, since: now)
        members[identity.id] = state
        order.append(identity.id)
        record(state, .connected)
        nameRestoredAlert(of: identity)
        if state.isFacilitator {
            admissionOrder.append(identity.id)
            watchIdle(identity.id)
            sendSnapshot(to: state)
            broadcastRoster()
        } else if consents[identity.id] == configuration.agreement.version {
            enterWaitingRoom(identity.id)
        } else {
            emit(.agreementRequired(configuration.agreement), to: .members([identity.id]))
        }
    }

    private mutating func resume(_ id: MemberID, connection: ConnectionID, lastSequence: SequenceNumber?) {
        guard var state = members[id] else { return }
        let wasReconnecting = state.connection == nil
        let wasAnnounced = state.lossAnnounced
        state.connection = connection
        state.lostAt = nil
        state.lossAnnounced = false
        members[id] = state
        if wasReconnecting {
            cancel(.reconnectWindow(id))
            if wasAnnounced { record(state, .resumed) } else { cancel(.presenceGrace(id)) }
        }
        watchIdle(id)
        switch state.stage {
        case .needsAgreement:
            emit(.agreementRequired(configuration.agreement), to: .members([id]))
        case .waiting:
            emit(.waitingForAdmission, to: .members([id]))
        case .admitted:
            replayOrSnapshot(state, after: lastSequence)
        }
        if wasAnnounced { announcePresenceChange(of: state) }
    }

    private mutating func replayOrSnapshot(_ state: MemberState, after lastSequence: SequenceNumber?) {
        if let lastSequence,
            let missed = replay.missed(by: state.id, after: lastSequence, current: self.lastSequence)
        {
            for envelope in missed {
                // A replayed own copy still names the command it answered (iop.v2, docs/PROTOCOL.md).
                let ownCopy = replay.ownCopy(at: envelope.sequence, for: state.id)
                outbox.append(.deliver(Delivery(envelope: envelope, recipients: [state.id], ownCopy: ownCopy)))
            }
            let sittingOut = exercise?.sittingOut.contains(state.id) ?? true
            if !sittingOut, !inSideRoom(state.id), let status = exerciseStatus(.current) {
                emit(.exercise(status), to: .members([state.id]))
            }
        } else {
            sendSnapshot(to: state)
        }
    }

    private mutating func announcePresenceChange(of state: MemberState) {
        switch state.stage {
        case .admitted: broadcastRoster()
        case .waiting: broadcastWaitingRoom()
        case .needsAgreement: break
        }
    }

    mutating func reconnectWindowExpired(_ member: MemberID) {
        guard let state = members[member], state.connection == nil else { return }
        depart(member, reason: .reconnectWindowExpired)
    }

    /// Takes a member out of the room for good (this presence), cleaning every trace
    /// of their place: hand, floor, side room, exercise, check-in pending list.
    mutating func depart(_ member: MemberID, reason: LeaveReason) {
        guard let state = members[member] else { return }
        if state.connection == nil {
            cancel(.reconnectWindow(member))
            if !state.lossAnnounced { cancel(.presenceGrace(member)) }
        }
        if policy.idleLogoff.after != nil { cancel(.idleCheck(member)) }
        members[member] = nil
        order.removeAll { $0 == member }
        admissionOrder.removeAll { $0 == member }
        closeSideRooms(involving: member)
        handQueue.removeAll { $0 == member }
        if floor == member { floor = nil }
        exercise?.sittingOut.remove(member)
        toolkitDeparted(state)
        breakoutDeparted(state.id)
        cardDeparted(state.id)
        if let lostAt = state.lostAt, !state.lossAnnounced { record(state, .connectionLost, at: lostAt) }
        record(state, .left(reason))
        switch state.stage {
        case .admitted:
            broadcastRoster()
            if state.isParticipant, checkIn != nil { sendCheckInProgress() }
        case .waiting: broadcastWaitingRoom()
        case .needsAgreement: break
        }
    }
}
