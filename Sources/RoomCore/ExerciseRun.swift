/// The exercise in progress: its phase, when the phase ends, whether it is
/// paused, and who sits it out. A small state machine the room composes; it
/// knows no members' stages or audiences, only its own clock arithmetic.
struct ExerciseRun: Sendable, Equatable {
    var run: UInt64
    var exercise: Exercise
    var phase: Int
    var phaseEndsAt: Timestamp
    var pausedRemaining: Duration?
    var sittingOut: Set<MemberID> = []

    /// Starts `exercise` (at least one phase) as run number `run` at `now`.
    init?(run: UInt64, exercise: Exercise, at now: Timestamp) {
        guard let first = exercise.phases.first else { return nil }
        self.run = run
        self.exercise = exercise
        self.phase = 0
        self.phaseEndsAt = now + first.duration
    }

    var isPaused: Bool { pausedRemaining != nil }
    var timer: TimerID { .exercisePhase(run: run, phase: phase) }

    /// The whole remaining schedule as members see it at `now`.
    func status(at now: Timestamp, change: ExerciseChange) -> ExerciseStatus {
        let remaining = pausedRemaining ?? max(.zero, phaseEndsAt.duration(since: now))
        let phases = exercise.phases
        let phaseEnd = isPaused ? now + remaining : phaseEndsAt
        var start = phaseEnd.advanced(by: .zero - phases[phase].duration)
        var scheduled: [ScheduledPhase] = []
        for index in phase..<phases.count {
            let phase = phases[index]
            let end = start + phase.duration
            scheduled.append(
                ScheduledPhase(
                    index: index, name: phase.name, prompt: phase.prompt, duration: phase.duration,
                    startsAt: start, endsAt: end))
            start = end
        }
        return ExerciseStatus(
            run: run, exerciseID: exercise.id, name: exercise.name, phases: scheduled,
            currentPhase: phase, paused: isPaused, remainingInPhase: remaining, change: change)
    }

    /// Moves to the next phase, starting at `start`; false after the last (the run is over).
    mutating func advance(from start: Timestamp) -> Bool {
        let next = phase + 1
        guard next < exercise.phases.count else { return false }
        phase = next
        phaseEndsAt = start + exercise.phases[next].duration
        return true
    }

    /// Stops the clock at `now`, keeping what is left of the phase.
    mutating func pause(at now: Timestamp) {
        pausedRemaining = max(.zero, phaseEndsAt.duration(since: now))
    }

    /// Starts the clock again at `now` with what was left of the phase.
    mutating func resume(at now: Timestamp) {
        guard let remaining = pausedRemaining else { return }
        pausedRemaining = nil
        phaseEndsAt = now + remaining
    }
}
