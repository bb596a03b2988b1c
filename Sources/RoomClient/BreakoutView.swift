import RoomCore

/// What the client knows of the breakout under way, from `breakout.status` and
/// `breakout.ended` only: the groups it may see (a participant their own, a
/// facilitator every group) and when everyone comes back. Part of ``RoomViewModel``.
public struct BreakoutView: Sendable, Hashable {
    /// The last status, while a breakout is open.
    public private(set) var status: BreakoutStatus?

    /// No breakout.
    public init() {}

    /// Applies one room event: a status replaces the last, the end (or a snapshot, which
    /// a status follows when a breakout is still open, or the session's end) clears it.
    public mutating func apply(_ event: RoomEvent) {
        if case .breakout(let next) = event {
            status = next
        } else if case .breakoutEnded = event {
            status = nil
        } else if case .snapshot = event {
            status = nil
        } else if case .sessionEnded = event {
            status = nil
        }
    }

    /// The group `member` is in (a participant) or visits (a facilitator), if any.
    public func group(of member: MemberID?) -> BreakoutGroupInfo? {
        guard let member else { return nil }
        return status?.groups.first { group in
            group.members.contains { $0.member == member } || group.visitors.contains { $0.member == member }
        }
    }
}
