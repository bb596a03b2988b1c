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
    /// Crisis alerts raised and not yet acknowledged.
    public var openCrisisAlerts = 0
    private var presence = PresenceCounts()

    /// An idle room.
    public init() {}

    /// The load of `room`, with the host's count of open crisis alerts.
    /// Counted in place (no allocation, no lookup by id): this runs after
    /// every command a room applies.
    init(of room: Room, openCrisisAlerts: Int) {
        self.openCrisisAlerts = room.isEnded ? 0 : openCrisisAlerts
        guard !room.isEnded else { return }
        var facilitators = 0
        var participants = 0
        var present = 0
        room.forEachPresence { role, stage, connected, away in
            let state = Self.state(stage: stage, connected: connected, away: away)
            presence.add(role, state)
            present += 1
            if state == .admitted || state == .away {
                if role == .facilitator { facilitators += 1 } else { participants += 1 }
            }
        }
        isOpen = present > 0
        inSession = facilitators > 0 && participants > 0
    }

    /// Members present, by role and state (only the pairs with someone in them).
    public var members: [MemberLoadKey: Int] { presence.nonZero }

    static func state(of status: MemberStatus) -> MemberLoadState {
        state(stage: status.stage, connected: status.connected, away: status.away)
    }

    static func state(stage: AdmissionStage, connected: Bool, away: Bool) -> MemberLoadState {
        if !connected { return .reconnecting }
        switch stage {
        case .needsAgreement: return .needsAgreement
        case .waiting: return .waiting
        case .admitted: return away ? .away : .admitted
        }
    }
}

/// A count for every role and state pair, kept inline (2 roles × 5 states:
/// a new role or state fails to compile in `slot` until it has its place).
private struct PresenceCounts: Sendable, Hashable {
    private var counts = InlineArray<10, Int>(repeating: 0)

    private static func slot(_ role: Role, _ state: MemberLoadState) -> Int {
        let row =
            switch role {
            case .participant: 0
            case .facilitator: 5
            }
        let column =
            switch state {
            case .needsAgreement: 0
            case .waiting: 1
            case .admitted: 2
            case .away: 3
            case .reconnecting: 4
            }
        return row + column
    }

    mutating func add(_ role: Role, _ state: MemberLoadState) {
        counts[Self.slot(role, state)] += 1
    }

    var nonZero: [MemberLoadKey: Int] {
        var result: [MemberLoadKey: Int] = [:]
        for role in Role.allCases {
            for state in MemberLoadState.allCases where counts[Self.slot(role, state)] > 0 {
                result[MemberLoadKey(role: role, state: state)] = counts[Self.slot(role, state)]
            }
        }
        return result
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.counts.indices.allSatisfy { lhs.counts[$0] == rhs.counts[$0] }
    }

    func hash(into hasher: inout Hasher) {
        for index in counts.indices { hasher.combine(counts[index]) }
    }
}
