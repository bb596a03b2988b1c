import RoomCore
import RoomProtocol

extension RoomHost {
    /// The room's load for the admin API, from the published load and the
    /// counters: never enters the room's loop.
    func adminSummary() -> AdminRoomSummary {
        let load = self.load
        let members = load.members.filter { $0.value > 0 }
            .map { AdminMemberCount(role: $0.key.role.rawValue, state: $0.key.state.rawValue, count: $0.value) }
            .sorted { ($0.role, $0.state) < ($1.role, $1.state) }
        let definition = configuration.definition
        return AdminRoomSummary(
            id: id, title: definition.title, kind: definition.kind.rawValue, capacity: definition.capacity,
            state: load.inSession ? "in_session" : load.isOpen ? "open" : "idle", members: members,
            openCrisisAlerts: load.openCrisisAlerts,
            messagesIn: statistics.commandsReceived.load(ordering: .relaxed),
            messagesOut: statistics.messagesSent.load(ordering: .relaxed),
            fanOutCount: statistics.fanOutCount.load(ordering: .relaxed),
            fanOutMicroseconds: statistics.fanOutNanoseconds.load(ordering: .relaxed) / 1000)
    }

    /// Who is present, in arrival order: member id, role, state, muted, and
    /// the token of their open connection. Waits for the room's loop
    /// (call off the event loops).
    func adminRoster(tokens: [MemberID: String]) -> [AdminRosterEntry] {
        loop.sync {
            guard !room.isEnded else { return [] }
            return room.memberIDs.compactMap { id in
                guard let status = room.status(of: id) else { return nil }
                return AdminRosterEntry(
                    member: id.rawValue, role: status.identity.role.rawValue,
                    state: RoomLoad.state(of: status).rawValue, muted: status.muted,
                    tokenID: status.connected ? tokens[id] : nil)
            }
        }
    }

    /// Ends the session for an operator (audited with `actor`); false when
    /// there was no session to end. Waits for the room's loop.
    func endSession(byOperator actor: String) -> Bool {
        loop.sync {
            let effects = room.operatorEndedSession(by: MemberID(actor), at: clock.now())
            guard !effects.isEmpty else { return false }
            apply(effects)
            return true
        }
    }
}
