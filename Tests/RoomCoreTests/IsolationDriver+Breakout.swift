import RoomCore
import TestSupportCore

extension Simulated {
    /// Each universe member's breakout group, or the group a facilitator visits.
    func breakoutGroups() -> [MemberID: Int] {
        var groups: [MemberID: Int] = [:]
        for id in universe { groups[id] = harness.room.breakoutGroup(of: id) }
        return groups
    }

    /// A breakout command: a split (random, balanced, or naming present members, some
    /// of them twice or absent), a visit, a broadcast or the return.
    func randomBreakoutCommand(say: ConfidentialText, using rng: inout SplitMix64) -> Command {
        let present = harness.room.memberIDs.shuffled(using: &rng)
        let count = Int.random(in: 1...3, using: &rng)
        let duration = Duration.seconds(Int64.random(in: 1...40, using: &rng))
        let split: BreakoutSplit
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: split = .random(count: count, seed: rng.next())
        case 1: split = .balanced(count: count)
        default:
            let named = Array(
                (present + [universe.randomElement(using: &rng)!]).prefix(Int.random(in: 0...4, using: &rng)))
            let cut = named.isEmpty ? 0 : Int.random(in: 0...named.count, using: &rng)
            split = .named([Array(named[..<cut]), Array(named[cut...])])
        }
        let commands: [Command] = [
            .startBreakout(BreakoutRequest(split: split, duration: duration)),
            .startBreakout(BreakoutRequest(split: split, duration: duration)),
            .visitBreakout(group: Int.random(in: 0...3, using: &rng)),
            .visitBreakout(group: Int.random(in: 1...3, using: &rng)),
            .broadcastToBreakouts(say), .endBreakout,
        ]
        return commands.randomElement(using: &rng)!
    }
}
