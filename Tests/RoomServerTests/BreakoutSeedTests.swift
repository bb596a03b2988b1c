import RoomCore
import Testing

@testable import RoomServer

/// The server draws a random breakout split's seed (the wire carries none); other commands pass unchanged.
@Suite("Breakout seed")
struct BreakoutSeedTests {
    static let unseeded = Command.startBreakout(
        BreakoutRequest(split: .random(count: 3, seed: 0), duration: .seconds(60)))

    static func seed(_ command: Command) -> UInt64? {
        guard case .startBreakout(let request) = command, case .random(let count, let seed) = request.split,
            count == 3, request.duration == .seconds(60)
        else { return nil }
        return seed
    }

    @Test func aRandomSplitGetsAFreshSeedEachTime() {
        let seeds = (0..<8).compactMap { _ in Self.seed(Self.unseeded.withServerSeed()) }
        #expect(seeds.count == 8, "the split and duration are kept")
        #expect(Set(seeds).count > 1, "eight draws, one seed")
    }

    @Test func otherCommandsAreUnchanged() {
        let balanced = Command.startBreakout(BreakoutRequest(split: .balanced(count: 2), duration: .seconds(60)))
        for command in [balanced, .endBreakout, .sendChat(ConfidentialText("hi")), .visitBreakout(group: 1)] {
            #expect(command.withServerSeed() == command)
        }
    }
}
