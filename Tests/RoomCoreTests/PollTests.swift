import Testing

@testable import RoomCore

/// Anonymous polls: one open at a time, one answer each, counts only, the results to
/// the chosen audience, closed on command or by the fake clock.
@Suite("Polls")
struct PollTests {
    static func ask(
        _ options: [String]? = ["calm", "tense", "tired"], to audience: PollAudience = .group,
        timeout: Duration? = nil
    ) -> Command {
        let choices: PollChoices = options.map { .options($0.map(ConfidentialText.init)) } ?? .scale
        return .askPoll(
            PollRequest(question: text("How is the evening?"), choices: choices, audience: audience, timeout: timeout))
    }

    @Test func theGroupSeesTheQuestionAndFacilitatorsSeeOnlyHowManyAnswered() {
        var h = Harness.session()
        let opened = h.send(Self.ask(), from: "f1")
        for member: MemberID in ["f1", "p1", "p2", "p3"] {
            #expect(opened.events(to: member).contains { if case .pollOpened = $0 { true } else { false } })
        }
        let voted = h.send(.votePoll(poll: 1, choice: 2), from: "p2")
        #expect(voted.acknowledgements.count == 1)
        #expect(voted.events(to: "p2").isEmpty, "the voter learns nothing but the ack")
        #expect(voted.events(to: "p1").isEmpty)
        #expect(voted.events(to: "f1") == [.pollProgress(PollProgress(poll: 1, answered: 1, eligible: 3))])
    }

    @Test func aSecondAnswerIsRefusedAndChangesNothing() {
        var h = Harness.session()
        h.send(Self.ask(), from: "f1")
        h.send(.votePoll(poll: 1, choice: 0), from: "p1")
        let before = h.room
        #expect(h.send(.votePoll(poll: 1, choice: 1), from: "p1").refusals == [.alreadyVoted])
        #expect(h.room == before)
    }

    @Test func oneOpenPollAtATimeAndOnlyValidChoices() {
        var h = Harness.session()
        #expect(h.send(.votePoll(poll: 1, choice: 0), from: "p1").refusals == [.noOpenPoll])
        #expect(h.send(.closePoll, from: "f1").refusals == [.noOpenPoll])
        #expect(h.send(Self.ask(["only one"]), from: "f1").refusals == [.invalidPoll])
        #expect(h.send(Self.ask(Array(repeating: "x", count: 7)), from: "f1").refusals == [.invalidPoll])
        #expect(h.send(Self.ask(["fine", " "]), from: "f1").refusals == [.emptyMessage])
        #expect(
            h.send(Self.ask(["fine", String(repeating: "y", count: 301)]), from: "f1").refusals == [.messageTooLong])
        h.send(Self.ask(), from: "f1")
        #expect(h.send(Self.ask(nil), from: "f1").refusals == [.pollAlreadyOpen])
        #expect(h.send(.votePoll(poll: 1, choice: 3), from: "p1").refusals == [.invalidChoice])
        #expect(h.send(.votePoll(poll: 1, choice: -1), from: "p1").refusals == [.invalidChoice])
        #expect(h.send(.votePoll(poll: 2, choice: 0), from: "p1").refusals == [.noOpenPoll], "another poll's number")
    }

    @Test func theScaleTakesZeroToTen() {
        var h = Harness.session()
        h.send(Self.ask(nil), from: "f1")
        #expect(h.send(.votePoll(poll: 1, choice: 10), from: "p1").refusals.isEmpty)
        #expect(h.send(.votePoll(poll: 1, choice: 0), from: "p2").refusals.isEmpty)
        #expect(h.send(.votePoll(poll: 1, choice: 11), from: "p3").refusals == [.invalidChoice])
        let closed = h.send(.closePoll, from: "f1")
        let counts = [1] + Array(repeating: 0, count: 9) + [1]
        #expect(
            closed.events(to: "p3") == [.pollClosed(PollResults(poll: 1, counts: counts, answered: 2, reason: .closed))]
        )
    }

    @Test func facilitatorsOnlyResultsReachParticipantsWithoutCounts() {
        var h = Harness.session()
        h.connect("f2")
        h.send(Self.ask(to: .facilitators), from: "f1")
        h.send(.votePoll(poll: 1, choice: 1), from: "p1")
        h.send(.votePoll(poll: 1, choice: 1), from: "p2")
        let closed = h.send(.closePoll, from: "f1")
        let full = PollResults(poll: 1, counts: [0, 2, 0], answered: 2, reason: .closed)
        #expect(closed.events(to: "f1") == [.pollClosed(full)])
        #expect(closed.events(to: "f2") == [.pollClosed(full)])
        let bare = PollResults(poll: 1, counts: nil, answered: 2, reason: .closed)
        for member: MemberID in ["p1", "p2", "p3"] { #expect(closed.events(to: member) == [.pollClosed(bare)]) }
    }

    @Test func theTimeoutClosesThePollOnTheFakeClock() {
        var h = Harness.session()
        let opened = h.send(Self.ask(timeout: .seconds(120)), from: "f1")
        #expect(opened.contains(.scheduleTimer(.pollDeadline(poll: 1), at: epoch + .seconds(120))))
        h.send(.votePoll(poll: 1, choice: 0), from: "p3")
        h.advance(.seconds(120))
        let fired = h.fire(.pollDeadline(poll: 1))
        #expect(
            fired.events(to: "p1") == [
                .pollClosed(PollResults(poll: 1, counts: [1, 0, 0], answered: 1, reason: .timedOut))
            ])
        #expect(h.fire(.pollDeadline(poll: 1)).isEmpty, "a stale timer does nothing")
        #expect(h.send(.votePoll(poll: 1, choice: 0), from: "p1").refusals == [.noOpenPoll])
    }

    @Test func closingOnCommandCancelsTheTimerAndTheNextPollGetsTheNextNumber() {
        var h = Harness.session()
        h.send(Self.ask(timeout: .seconds(60)), from: "f1")
        #expect(h.send(.closePoll, from: "f1").contains(.cancelTimer(.pollDeadline(poll: 1))))
        h.send(Self.ask(), from: "f1")
        #expect(h.send(.votePoll(poll: 2, choice: 0), from: "p1").refusals.isEmpty)
    }

    @Test func aLateJoinerSeesTheOpenPollAndTheSessionEndForgetsIt() {
        var h = Harness.session()
        h.send(Self.ask(timeout: .seconds(60)), from: "f1")
        let joined = h.join("p4")
        #expect(joined.events(to: "p4").contains { if case .pollOpened = $0 { true } else { false } })
        #expect(joined.events(to: "f1").contains(.pollProgress(PollProgress(poll: 1, answered: 0, eligible: 4))))
        let ended = h.send(.endSession, from: "f1")
        #expect(ended.contains(.cancelTimer(.pollDeadline(poll: 1))))
        #expect(h.room.poll == nil)
    }

    @Test func nothingOfAPollIsRecordedAndItsTextIsRedactedInDescriptions() {
        var h = Harness.session()
        var effects = h.send(
            .askPoll(
                PollRequest(
                    question: text("secret-question"), choices: .options([text("secret-a"), text("secret-b")]),
                    audience: .group, timeout: nil)), from: "f1")
        effects += h.send(.votePoll(poll: 1, choice: 1), from: "p1")
        effects += h.send(.closePoll, from: "f1")
        #expect(effects.records.isEmpty)
        #expect(!String(describing: effects).contains("secret-"))
        #expect(!String(reflecting: effects).contains("secret-"))
    }
}
