import RoomClient
import RoomCore
import RoomProtocol
import Testing

/// iop's face of the toolkit: the slash commands and the lines its events print.
@Suite struct ToolkitClientTests {
    static func model(_ role: Role, events: [RoomEvent] = []) -> RoomViewModel {
        var model = RoomViewModel()
        model.apply(.welcome(member: "me", alias: "Me", role: role, room: "r", roomTitle: "R"), receivedAt: 0)
        for (index, event) in events.enumerated() {
            model.apply(.event(sequence: UInt64(index + 1), time: 0, event), receivedAt: 0)
        }
        return model
    }

    static let options = PollInfo(
        poll: 3, question: ConfidentialText("How rested?"),
        choices: .options(["well", "so-so", "not at all"].map(ConfidentialText.init)), audience: .group,
        openedAt: Timestamp(millisecondsSinceEpoch: 0), closesAt: nil)

    @Test func pollsAreAskedWithOptionsOrAScale() {
        let facilitator = Self.model(.facilitator)
        #expect(
            InputParser.parse(#"/poll "How rested?" well | so-so | not at all"#, in: facilitator)
                == .command(
                    .askPoll(
                        PollRequest(
                            question: ConfidentialText("How rested?"),
                            choices: .options(["well", "so-so", "not at all"].map(ConfidentialText.init)),
                            audience: .group, timeout: nil))))
        #expect(
            InputParser.parse("/poll --scale --to facilitators --close-after 2m Energy now?", in: facilitator)
                == .command(
                    .askPoll(
                        PollRequest(
                            question: ConfidentialText("Energy now?"), choices: .scale, audience: .facilitators,
                            timeout: .seconds(120)))))
        #expect(
            InputParser.parse("/poll Tea or coffee? | tea | coffee", in: facilitator)
                == .command(
                    .askPoll(
                        PollRequest(
                            question: ConfidentialText("Tea or coffee?"),
                            choices: .options(["tea", "coffee"].map(ConfidentialText.init)), audience: .group,
                            timeout: nil))))
        guard case .invalid = InputParser.parse("/poll Only one? | yes", in: facilitator) else {
            Issue.record("one option is refused before sending")
            return
        }
        guard case .invalid = InputParser.parse("/poll --close-after soon Q? | a | b", in: facilitator) else {
            Issue.record("a bad duration is refused")
            return
        }
        #expect(
            InputParser.parse("/poll Q? | a | b", in: Self.model(.participant))
                == .invalid("/poll is for facilitators."))
    }

    @Test func aVoteNumbersOptionsFromOneAndTheScaleAsItIs() {
        let participant = Self.model(.participant, events: [.pollOpened(Self.options)])
        #expect(InputParser.parse("/vote 2", in: participant) == .command(.votePoll(poll: 3, choice: 1)))
        #expect(InputParser.parse("/vote 4", in: participant) == .invalid("Give an option's number, from 1 to 3."))
        #expect(InputParser.parse("/vote 1", in: Self.model(.participant)) == .invalid("No poll is open."))
        var scale = Self.options
        scale.choices = .scale
        let onScale = Self.model(.participant, events: [.pollOpened(scale)])
        #expect(InputParser.parse("/vote 0", in: onScale) == .command(.votePoll(poll: 3, choice: 0)))
        let closed = Self.model(
            .participant,
            events: [
                .pollOpened(Self.options), .pollClosed(PollResults(poll: 3, counts: nil, answered: 1, reason: .closed)),
            ])
        #expect(InputParser.parse("/vote 1", in: closed) == .invalid("No poll is open."))
    }

    @Test func reactionsCuesAndTheBalance() {
        let participant = Self.model(.participant)
        #expect(InputParser.parse("/react 12 me-too", in: participant) == .command(.react(MessageID(12), .meToo)))
        #expect(InputParser.parse("/react [12] thanks", in: participant) == .command(.react(MessageID(12), .thankYou)))
        #expect(
            InputParser.parse("/unreact 12 support", in: participant) == .command(.unreact(MessageID(12), .support)))
        #expect(InputParser.parse("/cue speak", in: participant) == .command(.setCue(.wantToSpeak)))
        #expect(InputParser.parse("/cue clear", in: participant) == .command(.clearCue))
        #expect(InputParser.parse("/cue loud", in: participant) == .invalid("Usage: /cue pause|speak|ok|clear"))
        let facilitator = Self.model(.facilitator)
        #expect(InputParser.parse("/balance", in: facilitator) == .command(.getBalance))
        #expect(InputParser.parse("/balance mark", in: facilitator) == .command(.markBalance))
        #expect(InputParser.parse("/closepoll", in: facilitator) == .command(.closePoll))
    }

    @Test func theEventsReadAsText() {
        let participant = Self.model(.participant, events: [.pollOpened(Self.options)])
        #expect(
            EventText.lines(for: .pollOpened(Self.options), in: participant)
                == [
                    "Poll 3 (anonymous, results to everyone): How rested?  1) well  2) so-so  3) not at all — answer with /vote N"
                ])
        let results = PollResults(poll: 3, counts: [2, 0, 1], answered: 3, reason: .closed)
        let after = Self.model(.participant, events: [.pollOpened(Self.options), .pollClosed(results)])
        #expect(
            EventText.lines(for: .pollClosed(results), in: after)
                == ["Poll 3 closed: well: 2, so-so: 0, not at all: 1 (3 answered)"])
        #expect(
            EventText.lines(
                for: .pollClosed(PollResults(poll: 3, counts: nil, answered: 3, reason: .timedOut)), in: after)
                == ["Poll 3 timed out: 3 answered; the results are for the facilitators."])
        let tally = ReactionTally(
            message: MessageID(12),
            counts: [
                ReactionCount(kind: .meToo, count: 2, aliases: []),
                ReactionCount(kind: .support, count: 1, aliases: ["Sam"]),
            ])
        #expect(EventText.lines(for: .reactions(tally), in: after) == ["Reactions to [12]: me too 2, support 1 (Sam)"])
        let cue = CueChange(member: "p2", alias: "River", cue: .pause)
        #expect(EventText.lines(for: .cueChanged(cue), in: after) == ["Cue: River — needs a pause."])
        let report = BalanceReport(
            since: Timestamp(millisecondsSinceEpoch: 0),
            entries: [
                BalanceEntry(
                    member: "p1", alias: "Sam", present: true, messages: 3, hands: 1, floorSeconds: 95,
                    checkInsAnswered: 1, checkInsPassed: 0, awaySeconds: 0, notYetHeard: false),
                BalanceEntry(
                    member: "p2", alias: "River", present: true, messages: 0, hands: 0, floorSeconds: 0,
                    checkInsAnswered: 0, checkInsPassed: 1, awaySeconds: 62, notYetHeard: true),
            ])
        let facilitator = Self.model(.facilitator, events: [.balance(report)])
        #expect(
            EventText.lines(for: .balance(report), in: facilitator) == [
                "Participation this session (counts and times only):",
                "  Sam: 3 msg, 1 hand, floor 1:35, check-ins 1 answered 0 passed, away 0:00",
                "  River: 0 msg, 0 hands, floor 0:00, check-ins 0 answered 1 passed, away 1:02 — not yet heard",
                "Not yet heard since the mark: River. (/balance mark moves it to now.)",
            ])
        #expect(facilitator.toolkit.notYetHeard == ["p2"])
    }

    @Test func theViewForgetsAtTheSessionEnd() {
        let tally = ReactionTally(message: MessageID(1), counts: [ReactionCount(kind: .meToo, count: 1, aliases: [])])
        let model = Self.model(
            .participant,
            events: [
                .pollOpened(Self.options), .reactions(tally),
                .cueChanged(CueChange(member: "me", alias: "Me", cue: .ok)),
                .sessionEnded,
            ])
        #expect(model.toolkit == ToolkitView())
    }
}
