/// Who an event is meant for, before it is resolved to member ids.
enum Audience {
    /// Admitted members not in a side room as participants.
    case group
    /// The participants of the group.
    case groupParticipants
    /// Admitted facilitators.
    case facilitators
    /// These members, if present (any stage: the caller vouches for the rule).
    case members([MemberID])
    /// Every present member, whatever their stage (session end only).
    case everyone
}

extension Room {
    func inSideRoom(_ member: MemberID) -> Bool {
        sideRooms.contains { $0.participant == member }
    }

    /// Resolves an audience to present members (connected or reconnecting), in arrival order.
    func resolve(_ audience: Audience) -> [MemberID] {
        order.filter { id in members[id].map { includes(id, $0, in: audience) } == true }
    }

    /// Whether `audience` takes in the member `id`, whose state is `state`.
    private func includes(_ id: MemberID, _ state: MemberState, in audience: Audience) -> Bool {
        switch audience {
        case .group: state.isAdmitted && !inSideRoom(id)
        case .groupParticipants: state.isAdmitted && state.isParticipant && !inSideRoom(id)
        case .facilitators: state.isAdmitted && state.isFacilitator
        case .members(let ids): ids.contains(id)
        case .everyone: true
        }
    }

    var facilitatorIDs: [MemberID] { resolve(.facilitators) }

    /// Stamps an event, keeps it for replay, and delivers it to the connected part of
    /// its audience. Returns the intended recipients (including reconnecting ones).
    /// `ownCopy` marks the delivery as answering its sender's command when the sender
    /// is among the connected recipients.
    @discardableResult
    mutating func emit(_ event: RoomEvent, to audience: Audience, ownCopy: OwnCopy? = nil) -> [MemberID] {
        // One pass, one lookup per member: an event's recipients are resolved for
        // every message of a conversation.
        var intended: [MemberID] = []
        var connected: [MemberID] = []
        for id in order {
            guard let state = members[id], includes(id, state, in: audience) else { continue }
            intended.append(id)
            if state.connection != nil { connected.append(id) }
        }
        guard !intended.isEmpty else { return [] }
        // Consecutive events mostly reach the same members (a conversation): the replay
        // entries and stored messages then share one list instead of each keeping a copy.
        if let newest = replay.newestRecipients, newest == intended { intended = newest }
        lastSequence += 1
        let envelope = EventEnvelope(sequence: lastSequence, time: now, event: event)
        let answers = ownCopy.flatMap { connected.contains($0.member) ? $0 : nil }
        replay.append(envelope, recipients: intended, ownCopy: answers)
        if !connected.isEmpty {
            outbox.append(.deliver(Delivery(envelope: envelope, recipients: connected, ownCopy: answers)))
        }
        return intended
    }

    /// Marks the roster changed: the group gets it once, in its final state, when the
    /// input's effects are drained (facilitators see side rooms, participants "away").
    mutating func broadcastRoster() { rosterChanged = true }

    /// Sends what the input changed: the roster, then the waiting room, once each.
    mutating func flushBroadcasts() {
        if rosterChanged {
            rosterChanged = false
            emit(.roster(roster(forFacilitator: false)), to: .groupParticipants)
            emit(.roster(roster(forFacilitator: true)), to: .facilitators)
        }
        if waitingRoomChanged {
            waitingRoomChanged = false
            emit(.waitingRoom(waitingEntries()), to: .facilitators)
        }
        flushBreakout()
    }

    /// The admitted members in admission order (facilitators are admitted on arrival).
    func roster(forFacilitator: Bool) -> Roster {
        let entries = admissionOrder.compactMap { id -> RosterEntry? in
            guard let member = members[id], member.isAdmitted else { return nil }
            return RosterEntry(
                member: id, alias: member.identity.alias, role: member.identity.role,
                presence: presence(of: member, forFacilitator: forFacilitator),
                queuePosition: handQueue.firstIndex(of: id).map { $0 + 1 }, muted: member.muted)
        }
        return Roster(entries: entries, floor: floor)
    }

    private func presence(of member: MemberState, forFacilitator: Bool) -> Presence {
        if member.lossAnnounced { return .reconnecting }
        if inSideRoom(member.id) { return forFacilitator ? .inSideRoom : .away }
        return member.away ? .away : .here
    }

    func waitingEntries() -> [WaitingEntry] {
        order.compactMap { id in
            guard let member = members[id], member.stage == .waiting else { return nil }
            return WaitingEntry(
                member: id, alias: member.identity.alias, since: member.since, reconnecting: member.lossAnnounced)
        }
    }

    /// Marks the waiting room changed (sent to facilitators once per input, see ``flushBroadcasts()``).
    mutating func broadcastWaitingRoom() { waitingRoomChanged = true }

    /// The whole room as this member may see it.
    func snapshot(for member: MemberState) -> RoomSnapshot {
        let definition = configuration.definition
        let facilitator = member.isFacilitator
        let sittingOut = exercise?.sittingOut.contains(member.id) ?? false
        return RoomSnapshot(
            roomID: definition.id, title: definition.title, kind: definition.kind,
            you: member.id, role: member.identity.role,
            roster: roster(forFacilitator: facilitator), chatPaused: chatPaused, locked: locked,
            checkIn: checkIn?.info, checkInResponded: checkIn?.hasResponded(member.id) ?? false,
            exercise: sittingOut ? nil : exerciseStatus(.current), sittingOutExercise: sittingOut,
            agenda: agenda?.status,
            waiting: facilitator ? waitingEntries() : [],
            openAlerts: facilitator ? alerts.open : [],
            sideRooms: facilitator ? sideRooms : sideRooms.filter { $0.participant == member.id })
    }

    mutating func sendSnapshot(to member: MemberState) {
        emit(.snapshot(snapshot(for: member)), to: .members([member.id]))
        sendToolkitState(to: member)
        sendBreakoutState(to: member)
        sendCardState(to: member)
    }
}
