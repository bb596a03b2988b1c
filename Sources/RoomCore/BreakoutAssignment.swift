/// Deals participants into breakout groups: pure, the same input always giving
/// the same groups (the random split's order comes from the seed it carries).
enum BreakoutAssignment {
    /// The groups of `split` over `participants` (the admitted participants in
    /// roster order); `heard` gives how much each was heard (higher first in the
    /// balanced deal). Refuses a split of fewer than 2 groups or more groups than
    /// participants (`invalid_breakout`), and a named list that names someone twice
    /// or leaves a group empty (`invalid_breakout`), someone absent or not admitted
    /// (`unknown_member`) or a facilitator (`invalid_target`).
    static func groups(
        _ split: BreakoutSplit, of participants: [MemberID], heard: (MemberID) -> (Int, Duration),
        isFacilitator: (MemberID) -> Bool
    ) throws(RoomError) -> [[MemberID]] {
        let count = split.count
        guard count >= 2, count <= participants.count else { throw .invalidBreakout }
        switch split {
        case .random(_, let seed):
            var generator = SeededOrder(seed: seed)
            return deal(generator.shuffled(participants), into: count)
        case .balanced:
            let ranked = participants.enumerated().sorted { left, right in
                let (a, b) = (heard(left.element), heard(right.element))
                if a.0 != b.0 { return a.0 > b.0 }
                if a.1 != b.1 { return a.1 > b.1 }
                return left.offset < right.offset
            }
            return deal(ranked.map(\.element), into: count, snake: true)
        case .named(let named):
            return try place(named, among: participants, isFacilitator: isFacilitator)
        }
    }

    /// In turn, group 1 first; `snake` turns back at each end (1, 2, 3, 3, 2, 1...).
    private static func deal(_ members: [MemberID], into count: Int, snake: Bool = false) -> [[MemberID]] {
        var groups = Array(repeating: [MemberID](), count: count)
        for (index, member) in members.enumerated() {
            let lap = index / count
            let slot = index % count
            groups[snake && lap % 2 == 1 ? count - 1 - slot : slot].append(member)
        }
        return groups
    }

    private static func place(
        _ named: [[MemberID]], among participants: [MemberID], isFacilitator: (MemberID) -> Bool
    ) throws(RoomError) -> [[MemberID]] {
        var seen: Set<MemberID> = []
        for group in named {
            guard !group.isEmpty else { throw .invalidBreakout }
            for member in group {
                guard seen.insert(member).inserted else { throw .invalidBreakout }
                if isFacilitator(member) { throw .invalidTarget }
                guard participants.contains(member) else { throw .unknownMember }
            }
        }
        var groups = named
        for member in participants where !seen.contains(member) {
            var smallest = 0
            for index in groups.indices where groups[index].count < groups[smallest].count { smallest = index }
            groups[smallest].append(member)
        }
        return groups
    }
}

/// A seeded order (SplitMix64): the server passes the seed, the room shuffles with it.
struct SeededOrder {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A Fisher–Yates shuffle of `items`.
    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var result = items
        guard result.count > 1 else { return result }
        for index in stride(from: result.count - 1, to: 0, by: -1) {
            let other = Int(next() % UInt64(index + 1))
            result.swapAt(index, other)
        }
        return result
    }
}
