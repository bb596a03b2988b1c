import RoomCore

/// Where a present member stands, as a metric label value.
public enum MemberLoadState: String, Sendable, Hashable, CaseIterable {
    /// A participant who has not accepted the group agreement yet.
    case needsAgreement = "needs_agreement"
    /// In the waiting room.
    case waiting
    /// Admitted and connected.
    case admitted
    /// Admitted, connected, stepped out.
    case away
    /// Connection lost; inside the reconnect window.
    case reconnecting
}

/// A role and state pair: the only dimensions of the member gauge.
public struct MemberLoadKey: Sendable, Hashable {
    /// The member's role.
    public var role: Role
    /// Where they stand.
    public var state: MemberLoadState

    /// Creates a key.
    public init(role: Role, state: MemberLoadState) {
        self.role = role
        self.state = state
    }
}

/// One room's load, published by its host after every batch of effects so a
/// scrape never has to enter the room's loop. Counts only: no ids, no aliases.
public struct RoomLoad: Sendable, Hashable {
    /// Someone is present (or reconnecting) and the session has not ended.
    public var isOpen = false
    /// Open, with a facilitator and at least one admitted participant present.
    public var inSession = false
    /// Members present, by role and state.
    public var members: [MemberLoadKey: Int] = [:]
    /// Crisis alerts raised and not yet acknowledged.
    public var openCrisisAlerts = 0

    /// An idle room.
    public init() {}

    /// The load of `room`, with the host's count of open crisis alerts.
    init(of room: Room, openCrisisAlerts: Int) {
        self.openCrisisAlerts = room.isEnded ? 0 : openCrisisAlerts
        guard !room.isEnded else { return }
        var facilitators = 0
        var participants = 0
        for id in room.memberIDs {
            guard let status = room.status(of: id) else { continue }
            let state = Self.state(of: status)
            members[MemberLoadKey(role: status.identity.role, state: state), default: 0] += 1
            if state == .admitted || state == .away {
                if status.identity.role == .facilitator { facilitators += 1 } else { participants += 1 }
            }
        }
        isOpen = !members.isEmpty
        inSession = facilitators > 0 && participants > 0
    }

    static func state(of status: MemberStatus) -> MemberLoadState {
        if !status.connected { return .reconnecting }
        switch status.stage {
        case .needsAgreement: return .needsAgreement
        case .waiting: return .waiting
        case .admitted: return status.away ? .away : .admitted
        }
    }
}
