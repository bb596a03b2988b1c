import RoomCore

extension EventText {
    /// The breakout's status as text: a participant's own group, or (facilitators) a
    /// line for the breakout and one per group. `now` is the event's server time, if known.
    static func breakoutLines(_ status: BreakoutStatus, now: Int64?, _ model: RoomViewModel) -> [String] {
        let left = now.map { minutes(until: status.endsAt, from: $0) } ?? "a countdown running"
        let me = model.me?.id
        guard model.me?.role == .facilitator else {
            guard let group = status.groups.first else { return [] }
            return ["Breakout group \(group.number) of \(status.groupCount): " + describe(group, me: me) + " · \(left)"]
        }
        let visiting = status.groups.first { $0.visitors.contains { $0.member == me } }
        let heading =
            "Breakout: \(status.groupCount) groups, \(left); "
            + (visiting.map { "you are in group \($0.number)." } ?? "you are in none: /visit N to join one.")
        return [heading] + status.groups.map { "  Group \($0.number): " + describe($0, me: me) }
    }

    /// `Sam, Ana (you) · with Dr. Lee · hands: Ana · Sam has the floor`.
    static func describe(_ group: BreakoutGroupInfo, me: MemberID?) -> String {
        let alias = { (member: BreakoutMember) in plain(member.alias) + (member.member == me ? " (you)" : "") }
        var parts = [group.members.isEmpty ? "nobody" : group.members.map(alias).joined(separator: ", ")]
        if !group.visitors.isEmpty { parts.append("with " + group.visitors.map(alias).joined(separator: ", ")) }
        let names = Dictionary(
            (group.members + group.visitors).map { ($0.member, plain($0.alias)) },
            uniquingKeysWith: { first, _ in first })
        if !group.hands.isEmpty {
            parts.append("hands: " + group.hands.map { names[$0] ?? $0.rawValue }.joined(separator: ", "))
        }
        if let floor = group.floor { parts.append("\(names[floor] ?? floor.rawValue) has the floor") }
        return parts.joined(separator: " · ")
    }

    /// `back in 9 min` (rounded up), or `back now`.
    static func minutes(until end: Timestamp, from now: Int64) -> String {
        let left = end.millisecondsSinceEpoch - now
        return left <= 0 ? "back now" : "back in \((left + 59_999) / 60_000) min"
    }

    /// Everyone is back.
    static func breakoutEndedLine(_ end: BreakoutEnd) -> String {
        switch end.reason {
        case .ended: "Breakout over: back in the room."
        case .timeUp: "Time is up: back in the room."
        }
    }
}
