import Foundation
import TestSupportCore
import Testing

@testable import RoomCore

/// A poll's answers are anonymous to everyone: random sessions with several voters,
/// run twice with the same voters at the same moments but their choices shuffled among
/// them, give exactly the same effects (every event to every recipient, every record,
/// every acknowledgement and refusal). So nothing the room emits can tell who chose
/// what. And no poll event ever names a member; the open poll holds only counts and
/// the set of who answered. Seeded; `ROOMCORE_SEED` replays one seed.
@Suite("Poll anonymity property")
struct PollAnonymityPropertyTests {
    static var seeds: [UInt64] {
        if let raw = ProcessInfo.processInfo.environment["ROOMCORE_SEED"], let seed = UInt64(raw) { return [seed] }
        return (1...24).map { UInt64($0) &* 0x5851_F42D }
    }

    /// One step of a session script.
    enum Step {
        case vote(MemberID, choice: Int)
        case chat(MemberID)
        case react(MemberID)
        case cue(MemberID, Cue?)
        case stepOut(MemberID, Bool)
        case advance(seconds: Int64)
        case balance
    }

    struct Script {
        var participants: [MemberID]
        var request: PollRequest
        var steps: [Step]
        var closeByTimer: Bool
    }

    static func script(seed: UInt64) -> Script {
        var rng = SplitMix64(seed: seed)
        let participants = (1...Int.random(in: 3...9, using: &rng)).map { MemberID("p\($0)") }
        let choices: PollChoices =
            Bool.random(using: &rng)
            ? .scale : .options((0..<Int.random(in: 2...6, using: &rng)).map { text("secret-option-\($0)") })
        let request = PollRequest(
            question: text("secret-question"), choices: choices,
            audience: Bool.random(using: &rng) ? .group : .facilitators, timeout: .seconds(600))
        var steps: [Step] = []
        for _ in 0..<Int.random(in: 10...40, using: &rng) {
            let member = participants.randomElement(using: &rng)!
            switch Int.random(in: 0..<10, using: &rng) {
            case 0...3: steps.append(.vote(member, choice: Int.random(in: 0..<choices.count, using: &rng)))
            case 4: steps.append(.chat(member))
            case 5: steps.append(.react(member))
            case 6: steps.append(.cue(member, [nil, Cue.pause, .ok].randomElement(using: &rng)!))
            case 7: steps.append(.stepOut(member, Bool.random(using: &rng)))
            case 8: steps.append(.advance(seconds: Int64.random(in: 1...30, using: &rng)))
            default: steps.append(.balance)
            }
        }
        return Script(
            participants: participants, request: request, steps: steps, closeByTimer: Bool.random(using: &rng))
    }

    /// The same script with the counted answers' choices (each voter's first) shuffled
    /// among the voters; a repeat keeps its choice (it is refused whatever it says).
    static func shuffled(_ script: Script, seed: UInt64) -> Script {
        var rng = SplitMix64(seed: seed ^ 0xA5A5)
        var seen = Set<MemberID>()
        var firsts: [Int] = []
        for (index, step) in script.steps.enumerated() {
            if case .vote(let member, _) = step, seen.insert(member).inserted { firsts.append(index) }
        }
        var choices = firsts.map { index in
            if case .vote(_, let choice) = script.steps[index] { choice } else { 0 }
        }
        choices.shuffle(using: &rng)
        var result = script
        for (index, choice) in zip(firsts, choices) {
            if case .vote(let member, _) = script.steps[index] { result.steps[index] = .vote(member, choice: choice) }
        }
        return result
    }

    /// Every effect of the session, in order, with the room's final counts.
    static func run(_ script: Script) -> (effects: [[Effect]], counts: [Int]) {
        var h = Harness.session(script.participants)
        h.connect("f2")
        var log: [[Effect]] = [h.send(.sendChat(text("secret-opening")), from: "f1")]
        log.append(h.send(.askPoll(script.request), from: "f1"))
        for step in script.steps {
            switch step {
            case .vote(let member, let choice): log.append(h.send(.votePoll(poll: 1, choice: choice), from: member))
            case .chat(let member): log.append(h.send(.sendChat(text("secret-chat")), from: member))
            case .react(let member): log.append(h.send(.react(MessageID(1), .support), from: member))
            case .cue(let member, let cue): log.append(h.send(cue.map(Command.setCue) ?? .clearCue, from: member))
            case .stepOut(let member, let out): log.append(h.send(out ? .stepOut : .comeBack, from: member))
            case .advance(let seconds): h.advance(.seconds(seconds))
            case .balance: log.append(h.send(.getBalance, from: "f2"))
            }
        }
        let counts = h.room.poll?.counts ?? []
        if script.closeByTimer {
            h.now = epoch + .seconds(600)
            log.append(h.fire(.pollDeadline(poll: 1)))
        } else {
            log.append(h.send(.closePoll, from: "f1"))
        }
        log.append(h.send(.endSession, from: "f1"))
        return (log, counts)
    }

    @Test(arguments: seeds)
    func nothingTellsWhoChoseWhat(seed: UInt64) {
        let script = Self.script(seed: seed)
        let original = Self.run(script)
        let permuted = Self.run(Self.shuffled(script, seed: seed))
        #expect(original.effects == permuted.effects, "seed \(seed): an effect depends on who chose what")

        let members = Set(script.participants.map(\.rawValue) + ["f1", "f2"])
        var pollEvents = 0
        for effect in original.effects.joined() {
            switch effect {
            case .deliver(let delivery):
                let event = delivery.envelope.event
                switch event {
                case .pollOpened, .pollProgress, .pollClosed:
                    pollEvents += 1
                    let said = String(reflecting: event)
                    #expect(
                        !members.contains { said.contains("\"\($0)\"") }, "seed \(seed): a poll event names a member")
                default: break
                }
            case .record(let record):
                #expect(!String(reflecting: record).contains("poll"), "seed \(seed): a poll in a record")
            case .refuse(_, _, let error):
                #expect(!error.description.contains("choice "), "seed \(seed)")
            case .acknowledge, .scheduleTimer, .cancelTimer, .disconnect: break
            }
        }
        #expect(pollEvents >= 2, "seed \(seed): the poll opened and closed")
        let voted = Set(script.steps.compactMap { if case .vote(let member, _) = $0 { member } else { nil } })
        #expect(original.counts.reduce(0, +) == voted.count, "seed \(seed): one counted answer per voter")
    }

    @Test func theOpenPollHoldsOnlyTheQuestionTheCountsAndWhoAnswered() {
        var h = Harness.session()
        h.send(PollTests.ask(), from: "f1")
        h.send(.votePoll(poll: 1, choice: 1), from: "p2")
        let run = h.room.poll!
        #expect(Mirror(reflecting: run).children.map(\.label) == ["info", "counts", "answered"])
        #expect(run.counts == [0, 1, 0])
        #expect(run.answered == ["p2"])
    }
}
