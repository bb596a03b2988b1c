import Foundation
import TestSupportCore
import Testing

@testable import RoomCore

/// A refused command changes nothing: random rooms (built by random inputs with the
/// fake clock) are sent random commands of every kind from random members, and every
/// refusal must leave the room equal, field for field, to what it was (after the
/// clock and the sender's activity mark, which every command moves). Seeded; the seed
/// is printed with every failure. Set `ROOMCORE_SEED` to replay one seed.
@Suite("Refusal atomicity property")
struct RefusalAtomicityPropertyTests {
    static var seeds: [UInt64] {
        if let raw = ProcessInfo.processInfo.environment["ROOMCORE_SEED"], let seed = UInt64(raw) { return [seed] }
        return (1...12).map { UInt64($0) &* 0x2545_F491 }
    }

    /// Refusals that the gate gives, before a command's own rules.
    static let gateRefusals: Set<RoomError> = [
        .sessionEnded, .removed, .declined, .notConnected, .notPermitted, .agreementRequired, .notAdmitted,
    ]

    @Test(arguments: seeds)
    func aRefusedCommandLeavesTheRoomAsItWas(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var simulated = Simulated(name: "r", rng: &rng)
        var refused: [CommandKind: Int] = [:]
        var ownRuleRefusals = 0
        for step in 0..<600 {
            let (effects, _) = simulated.randomInput(using: &rng)
            simulated.observe(effects)
            for turn in 0..<3 {
                // Every kind in turn, so each is tried in rooms of every age.
                let kind = CommandKind.allCases[(step * 3 + turn) % CommandKind.allCases.count]
                guard let error = probe(kind, simulated, seed: seed, step: step, using: &rng) else { continue }
                refused[kind, default: 0] += 1
                if !Self.gateRefusals.contains(error) { ownRuleRefusals += 1 }
            }
        }
        let never = CommandKind.allCases.filter { refused[$0] == nil }.map(\.rawValue)
        #expect(never.isEmpty, "seed \(seed): never refused: \(never)")
        #expect(ownRuleRefusals > 100, "seed \(seed): too few refusals by a command's own rules")
    }

    /// Sends a random command of `kind` to a copy of the room; returns the refusal, if refused.
    private func probe(
        _ kind: CommandKind, _ simulated: Simulated, seed: UInt64, step: Int, using rng: inout SplitMix64
    ) -> RoomError? {
        let before = simulated.harness.room
        let now = simulated.harness.now
        let present = before.memberIDs
        let pickPresent = { (rng: inout SplitMix64) -> MemberID in
            Int.random(in: 0..<10, using: &rng) < 8 && !present.isEmpty
                ? present.randomElement(using: &rng)! : simulated.universe.randomElement(using: &rng)!
        }
        let words = ["secret-\(Int.random(in: 0...999, using: &rng))", "", String(repeating: "x", count: 41)]
        let text = ConfidentialText(words.randomElement(using: &rng)!)
        let command = kind.sample(target: pickPresent(&rng), text: text, using: &rng)
        #expect(CommandKind.kind(of: command) == kind)
        let sender = pickPresent(&rng)
        var expected = before
        expected.beginCommand(command, from: sender, at: now)
        var room = before
        let effects = room.received(command, from: sender, id: "probe", at: now)
        guard case .refuse(_, _, let error)? = effects.first else { return nil }
        #expect(effects.count == 1, "seed \(seed) step \(step): a refusal came with other effects")
        #expect(
            room == expected,
            "seed \(seed) step \(step): \(kind.rawValue) from \(sender) refused with \(error.code) changed the room")
        return error
    }
}
