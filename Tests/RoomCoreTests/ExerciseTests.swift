import RoomCore
import Testing

@Suite("Timed exercises")
struct ExerciseTests {
    private func status(_ effects: [Effect], to member: MemberID) -> ExerciseStatus? {
        effects.events(to: member).compactMap(\.exercise).last
    }

    @Test func startAnnouncesTheWholeScheduleWithServerTimestamps() {
        var h = Harness.session(["p1", "p2"])
        let t = h.now
        let start = h.send(.startExercise(exerciseID: "box-breathing"), from: "f1")
        #expect(start.timers == [.scheduleTimer(.exercisePhase(run: 1, phase: 0), at: t + .seconds(4))])
        #expect(start.deliveries.map(\.recipients) == [["f1", "p1", "p2"]])
        let s = status(start, to: "p1")
        #expect(s?.change == .started)
        #expect(s?.phases.count == 16)
        #expect(
            s?.phases.first
                == ScheduledPhase(
                    index: 0, name: "Breathe in", prompt: "Breathe in slowly through your nose.", duration: .seconds(4),
                    startsAt: t, endsAt: t + .seconds(4)))
        #expect(s?.phases.last?.endsAt == t + .seconds(64))
        #expect(s?.remainingInPhase == .seconds(4))
        #expect(h.send(.startExercise(exerciseID: "urge-surfing"), from: "f1").refusals == [.exerciseAlreadyActive])
        #expect(h.send(.startExercise(exerciseID: "nope"), from: "f2").refusals == [.notConnected])
    }

    @Test func phasesAdvanceOnTimersAndTheExerciseCompletes() {
        var h = Harness.session(["p1"])
        let t = h.now
        h.send(.startExercise(exerciseID: "mindful-minute"), from: "f1")
        h.advance(.seconds(10))
        let second = h.fire(.exercisePhase(run: 1, phase: 0))
        #expect(second.timers == [.scheduleTimer(.exercisePhase(run: 1, phase: 1), at: t + .seconds(50))])
        #expect(status(second, to: "p1")?.currentPhase == 1)
        #expect(status(second, to: "p1")?.change == .phaseChanged)
        #expect(status(second, to: "p1")?.phases.map(\.name) == ["Breathe", "Return"])
        #expect(h.fire(.exercisePhase(run: 1, phase: 0)).isEmpty)  // stale
        h.advance(.seconds(40))
        h.fire(.exercisePhase(run: 1, phase: 1))
        h.advance(.seconds(10))
        let done = h.fire(.exercisePhase(run: 1, phase: 2))
        #expect(
            done.events(to: "p1") == [
                .exerciseEnded(ExerciseEnd(run: 1, exerciseID: "mindful-minute", reason: .completed))
            ])
        #expect(done.timers.isEmpty)
    }

    @Test func pauseKeepsTheRemainingTimeAndResumeReschedules() {
        var h = Harness.session(["p1"])
        let t = h.now
        h.send(.startExercise(exerciseID: "grounding-5-4-3-2-1"), from: "f1")
        h.advance(.seconds(12))
        let pause = h.send(.pauseExercise, from: "f1")
        #expect(pause.timers == [.cancelTimer(.exercisePhase(run: 1, phase: 0))])
        #expect(status(pause, to: "p1")?.paused == true)
        #expect(status(pause, to: "p1")?.remainingInPhase == .seconds(18))
        #expect(h.send(.pauseExercise, from: "f1").refusals == [.exerciseNotRunning])
        #expect(h.send(.skipExercisePhase, from: "f1").refusals == [.exerciseNotRunning])
        h.advance(.seconds(100))
        let resume = h.send(.resumeExercise, from: "f1")
        #expect(resume.timers == [.scheduleTimer(.exercisePhase(run: 1, phase: 0), at: t + .seconds(130))])
        #expect(status(resume, to: "p1")?.phases.first?.endsAt == t + .seconds(130))
        #expect(status(resume, to: "p1")?.change == .resumed)
        #expect(h.send(.resumeExercise, from: "f1").refusals == [.exerciseNotPaused])
    }

    @Test func skipMovesOnNowAndStopEndsIt() {
        var h = Harness.session(["p1"])
        h.send(.startExercise(exerciseID: "urge-surfing"), from: "f1")
        h.advance(.seconds(5))
        let skip = h.send(.skipExercisePhase, from: "f1")
        #expect(
            skip.timers == [
                .cancelTimer(.exercisePhase(run: 1, phase: 0)),
                .scheduleTimer(.exercisePhase(run: 1, phase: 1), at: h.now + .seconds(60)),
            ])
        #expect(status(skip, to: "p1")?.change == .skipped)
        let stop = h.send(.stopExercise, from: "f1")
        #expect(stop.timers == [.cancelTimer(.exercisePhase(run: 1, phase: 1))])
        #expect(
            stop.events(to: "p1") == [.exerciseEnded(ExerciseEnd(run: 1, exerciseID: "urge-surfing", reason: .stopped))]
        )
        #expect(h.send(.stopExercise, from: "f1").refusals == [.noActiveExercise])
        #expect(h.send(.sitOutExercise, from: "p1").refusals == [.noActiveExercise])
    }

    @Test func aParticipantMaySitOneOutAndRejoin() {
        var h = Harness.session(["p1", "p2"])
        h.send(.startExercise(exerciseID: "box-breathing"), from: "f1")
        #expect(h.send(.sitOutExercise, from: "p2").deliveries.isEmpty)
        h.advance(.seconds(4))
        let next = h.fire(.exercisePhase(run: 1, phase: 0))
        #expect(next.deliveries.map(\.recipients) == [["f1", "p1"]])
        h.advance(.seconds(1))
        let rejoin = h.send(.rejoinExercise, from: "p2")
        #expect(status(rejoin, to: "p2")?.change == .current)
        #expect(status(rejoin, to: "p2")?.currentPhase == 1)
        #expect(status(rejoin, to: "p2")?.remainingInPhase == .seconds(3))
        #expect(h.send(.sitOutExercise, from: "f1").refusals == [.notPermitted])
    }

    @Test func lateJoinerLandsInTheCurrentPhase() {
        var h = Harness.session(["p1"])
        h.send(.startExercise(exerciseID: "4-7-8-breathing"), from: "f1")
        h.advance(.seconds(4))
        h.fire(.exercisePhase(run: 1, phase: 0))
        h.advance(.seconds(2))
        let joined = h.join("p2")
        let snapshot = joined.events(to: "p2").compactMap(\.snapshot).first
        #expect(snapshot?.exercise?.currentPhase == 1)
        #expect(snapshot?.exercise?.phases.first?.name == "Hold")
        #expect(snapshot?.exercise?.remainingInPhase == .seconds(5))
    }

    @Test func catalogueHasTheSixExercisesAndThreeTemplates() {
        #expect(
            ExerciseCatalogue.standard.map(\.id) == [
                "box-breathing", "4-7-8-breathing", "grounding-5-4-3-2-1", "progressive-muscle-relaxation",
                "urge-surfing", "mindful-minute",
            ])
        #expect(ExerciseCatalogue.mindfulMinute.totalDuration == .seconds(60))
        #expect(ExerciseCatalogue.boxBreathing.totalDuration == .seconds(64))
        #expect(ExerciseCatalogue.standard.allSatisfy { !$0.phases.isEmpty })
        #expect(CheckInCatalogue.standard.map(\.id) == ["mood", "craving", "rose-thorn"])
        #expect(CheckInCatalogue.craving.visibility == .facilitatorsOnly)
    }
}
