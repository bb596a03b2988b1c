import RoomCore
import TestSupportCore

extension CommandKind {
    /// A random breakout request: 0 to 4 groups (some invalid) at random, balanced, or
    /// named (around `target`, sometimes naming them twice), for 0 to 60 seconds.
    static func sampleBreakout(target: MemberID, using rng: inout SplitMix64) -> BreakoutRequest {
        let count = Int.random(in: 0...4, using: &rng)
        let split: BreakoutSplit
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: split = .random(count: count, seed: rng.next())
        case 1: split = .balanced(count: count)
        default:
            let other: MemberID = ["p1", "p2", "p3"].randomElement(using: &rng)!
            split = .named(Bool.random(using: &rng) ? [[target], [other]] : [[target, other], [target]])
        }
        return BreakoutRequest(split: split, duration: .seconds(Int64.random(in: 0...60, using: &rng)))
    }
}
