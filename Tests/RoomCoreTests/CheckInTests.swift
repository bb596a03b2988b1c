import RoomCore
import Testing

@Suite("Check-in rounds")
struct CheckInTests {
    private func mood(_ score: Int, _ word: String) -> CheckInAnswer {
        CheckInAnswer(["mood": .score(score), "word": .text(text(word))])
    }

    @Test func roundStartsWithATimerAndFacilitatorsSeeWhoIsPending() {
        var h = Harness.session(["p1", "p2"])
        h.connect("p3")  // not agreed: not part of the round
        let start = h.send(.startCheckIn(templateID: "mood", timeout: .seconds(300)), from: "f1")
        let info = CheckInRoundInfo(
            round: 1, template: CheckInCatalogue.mood, startedAt: h.now, closesAt: h.now + .seconds(300))
        #expect(start.timers == [.scheduleTimer(.checkInDeadline(round: 1), at: h.now + .seconds(300))])
        #expect(start.deliveries.map(\.recipients) == [["f1", "p1", "p2"], ["f1"]])
        #expect(start.events(to: "p1") == [.checkInStarted(info)])
        #expect(
            start.events(to: "f1").last
                == .checkInProgress(
                    CheckInProgress(
                        round: 1, answered: [], passed: [], pending: ["p1", "p2"],
                        distribution: [
                            ScoreDistribution(field: "mood", counts: [:])
                        ])))
    }

    @Test func groupVisibleAnswersGoToTheGroupAndProgressToFacilitators() {
        var h = Harness.session(["p1", "p2", "p3"])
        h.send(.startCheckIn(templateID: "mood", timeout: nil), from: "f1")
        let answer = h.send(.answerCheckIn(mood(7, "hopeful")), from: "p1")
        #expect(answer.deliveries.map(\.recipients) == [["f1", "p1", "p2", "p3"], ["f1"]])
        h.send(.passCheckIn, from: "p2")
        let second = h.send(.answerCheckIn(mood(7, "tired")), from: "p3")
        #expect(
            second.events(to: "f1").last
                == .checkInProgress(
                    CheckInProgress(
                        round: 1, answered: ["p1", "p3"], passed: ["p2"], pending: [],
                        distribution: [
                            ScoreDistribution(field: "mood", counts: [7: 2])
                        ])))
        #expect(h.send(.passCheckIn, from: "p1").refusals == [.alreadyAnswered])
        #expect(h.send(.answerCheckIn(mood(3, "x")), from: "f1").refusals == [.notPermitted])
    }

    @Test func facilitatorOnlyAnswersReachFacilitatorsAndTheAnswererOnly() {
        var h = Harness.session(["p1", "p2"])
        h.connect("f2")
        h.send(.startCheckIn(templateID: "craving", timeout: nil), from: "f1")
        let answer = h.send(.answerCheckIn(CheckInAnswer(["craving": .score(6)])), from: "p1")
        #expect(answer.deliveries.map(\.recipients) == [["f1", "p1", "f2"], ["f1", "f2"]])
        #expect(answer.events(to: "p2").isEmpty)
        let close = h.send(.closeCheckIn, from: "f1")
        let forFacilitators = close.events(to: "f1").compactMap {
            if case .checkInClosed(let s) = $0 { s } else { nil }
        }
        let forParticipants = close.events(to: "p2").compactMap {
            if case .checkInClosed(let s) = $0 { s } else { nil }
        }
        #expect(forFacilitators.first?.distribution == [ScoreDistribution(field: "craving", counts: [6: 1])])
        #expect(forParticipants.first?.distribution == nil)
        #expect(forParticipants.first?.noResponseCount == 1)
    }

    @Test func invalidAnswersAreRefused() {
        var h = Harness.session(["p1"])
        #expect(h.send(.answerCheckIn(mood(5, "ok")), from: "p1").refusals == [.noActiveRound])
        h.send(.startCheckIn(templateID: "mood", timeout: nil), from: "f1")
        let invalid: [CheckInAnswer] = [
            mood(11, "ok"), mood(-1, "ok"), mood(5, "two words"), mood(5, ""),
            CheckInAnswer(["mood": .score(5)]),
            CheckInAnswer(["mood": .score(5), "word": .text(text("ok")), "extra": .score(1)]),
            CheckInAnswer(["mood": .text(text("5")), "word": .text(text("ok"))]),
            mood(5, String(repeating: "a", count: 31)),
        ]
        for answer in invalid {
            #expect(h.send(.answerCheckIn(answer), from: "p1").refusals == [.invalidAnswer])
        }
        #expect(h.send(.answerCheckIn(mood(0, "numb")), from: "p1").refusals.isEmpty)
    }

    @Test func roundClosesOnTimeoutAtTheExactDeadline() {
        var h = Harness.session(["p1", "p2"])
        h.send(.startCheckIn(templateID: "rose-thorn", timeout: .seconds(120)), from: "f1")
        h.send(
            .answerCheckIn(CheckInAnswer(["rose": .text(text("sober 30 days")), "thorn": .text(text("my job"))])),
            from: "p1")
        h.advance(.seconds(120))
        let closed = h.fire(.checkInDeadline(round: 1))
        let summary = CheckInSummary(
            round: 1, answeredCount: 1, passedCount: 0, noResponseCount: 1, distribution: [], reason: .timedOut)
        #expect(closed.deliveries.map(\.recipients) == [["f1", "p1", "p2"]])
        #expect(closed.events(to: "p2") == [.checkInClosed(summary)])
        #expect(h.fire(.checkInDeadline(round: 1)).isEmpty)  // stale
        #expect(h.send(.passCheckIn, from: "p2").refusals == [.noActiveRound])
    }

    @Test func closingByCommandCancelsTheTimer() {
        var h = Harness.session(["p1"])
        h.send(.startCheckIn(templateID: "mood", timeout: .seconds(60)), from: "f1")
        #expect(h.send(.startCheckIn(templateID: "mood", timeout: nil), from: "f1").refusals == [.roundAlreadyActive])
        #expect(h.send(.closeCheckIn, from: "f1").timers == [.cancelTimer(.checkInDeadline(round: 1))])
        #expect(h.send(.startCheckIn(templateID: "nope", timeout: nil), from: "f1").refusals == [.unknownTemplate])
    }

    @Test func scoresAreKeptOnlyWhenThePolicyRetainsThemAndNeverWords() {
        var off = Harness.session(["p1"])
        off.send(.startCheckIn(templateID: "mood", timeout: nil), from: "f1")
        #expect(off.send(.answerCheckIn(mood(4, "anxious")), from: "p1").records.isEmpty)

        var on = Harness.session(["p1"], policy: RoomPolicy(retainCheckInScores: true))
        on.send(.startCheckIn(templateID: "mood", timeout: nil), from: "f1")
        let answered = on.send(.answerCheckIn(mood(4, "anxious")), from: "p1")
        #expect(
            answered.records == [
                .checkInScore(CheckInScoreRecord(member: "p1", template: "mood", field: "mood", score: 4, at: on.now))
            ])
        #expect(!String(describing: answered.records).contains("anxious"))
    }

    @Test func participantAdmittedDuringARoundIsPending() {
        var h = Harness.session(["p1"])
        h.send(.startCheckIn(templateID: "craving", timeout: nil), from: "f1")
        let joined = h.join("p2")
        let progress = joined.events(to: "f1").compactMap { if case .checkInProgress(let p) = $0 { p } else { nil } }
        #expect(progress.last?.pending == ["p1", "p2"])
        #expect(joined.events(to: "p2").compactMap(\.snapshot).first?.checkIn?.template.id == "craving")
    }
}
