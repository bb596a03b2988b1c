extension Room {
    /// The current exercise as members see it, or `nil` if none.
    func exerciseStatus(_ change: ExerciseChange) -> ExerciseStatus? {
        guard let run = exercise else { return nil }
        let remaining = run.pausedRemaining ?? max(.zero, run.phaseEndsAt.duration(since: now))
        let phases = run.exercise.phases
        let phaseEnd = run.isPaused ? now + remaining : run.phaseEndsAt
        var start = phaseEnd.advanced(by: .zero - phases[run.phase].duration)
        var scheduled: [ScheduledPhase] = []
        for index in run.phase..<phases.count {
            let phase = phases[index]
            let end = start + phase.duration
            scheduled.append(
                ScheduledPhase(
                    index: index, name: phase.name, prompt: phase.prompt, duration: phase.duration,
                    startsAt: start, endsAt: end))
            start = end
        }
        return ExerciseStatus(
            run: run.run, exerciseID: run.exercise.id, name: run.exercise.name, phases: scheduled,
            currentPhase: run.phase, paused: run.isPaused, remainingInPhase: remaining, change: change)
    }

    /// Those who follow the exercise: the group minus anyone sitting it out.
    private var exerciseAudience: Audience {
        let out = exercise?.sittingOut ?? []
        return .members(resolve(.group).filter { !out.contains($0) })
    }

    private mutating func announceExercise(_ change: ExerciseChange) {
        guard let status = exerciseStatus(change) else { return }
        emit(.exercise(status), to: exerciseAudience)
    }

    mutating func startExercise(_ id: String) throws(RoomError) {
        guard exercise == nil else { throw .exerciseAlreadyActive }
        guard let definition = configuration.exercises.first(where: { $0.id == id }),
            let first = definition.phases.first
        else { throw .unknownExercise }
        lastRun += 1
        let run = ExerciseRun(run: lastRun, exercise: definition, phase: 0, phaseEndsAt: now + first.duration)
        exercise = run
        schedule(run.timer, at: run.phaseEndsAt)
        announceExercise(.started)
    }

    mutating func exercisePhaseEnded(run: UInt64, phase: Int) {
        guard let current = exercise, current.run == run, current.phase == phase, !current.isPaused else { return }
        advanceExercise(from: current.phaseEndsAt, change: .phaseChanged)
    }

    /// Moves to the next phase starting at `start`, or ends the exercise after the last.
    private mutating func advanceExercise(from start: Timestamp, change: ExerciseChange) {
        guard var run = exercise else { return }
        let next = run.phase + 1
        guard next < run.exercise.phases.count else {
            finishExercise(.completed)
            return
        }
        run.phase = next
        run.phaseEndsAt = start + run.exercise.phases[next].duration
        exercise = run
        schedule(run.timer, at: run.phaseEndsAt)
        announceExercise(change)
    }

    private mutating func finishExercise(_ reason: ExerciseEnd.Reason) {
        guard let run = exercise else { return }
        exercise = nil
        emit(.exerciseEnded(ExerciseEnd(run: run.run, exerciseID: run.exercise.id, reason: reason)), to: .group)
    }

    mutating func pauseExercise() throws(RoomError) {
        guard var run = exercise else { throw .noActiveExercise }
        guard !run.isPaused else { throw .exerciseNotRunning }
        run.pausedRemaining = max(.zero, run.phaseEndsAt.duration(since: now))
        exercise = run
        cancel(run.timer)
        announceExercise(.paused)
    }

    mutating func resumeExercise() throws(RoomError) {
        guard var run = exercise else { throw .noActiveExercise }
        guard let remaining = run.pausedRemaining else { throw .exerciseNotPaused }
        run.pausedRemaining = nil
        run.phaseEndsAt = now + remaining
        exercise = run
        schedule(run.timer, at: run.phaseEndsAt)
        announceExercise(.resumed)
    }

    mutating func skipExercisePhase() throws(RoomError) {
        guard let run = exercise else { throw .noActiveExercise }
        guard !run.isPaused else { throw .exerciseNotRunning }
        cancel(run.timer)
        advanceExercise(from: now, change: .skipped)
    }

    mutating func stopExercise() throws(RoomError) {
        guard let run = exercise else { throw .noActiveExercise }
        if !run.isPaused { cancel(run.timer) }
        finishExercise(.stopped)
    }

    mutating func sitOutExercise(_ sender: MemberState) throws(RoomError) {
        guard exercise != nil else { throw .noActiveExercise }
        exercise?.sittingOut.insert(sender.id)
    }

    mutating func rejoinExercise(_ sender: MemberState) throws(RoomError) {
        guard let run = exercise else { throw .noActiveExercise }
        guard run.sittingOut.contains(sender.id) else { return }
        exercise?.sittingOut.remove(sender.id)
        if !inSideRoom(sender.id), let status = exerciseStatus(.current) {
            emit(.exercise(status), to: .members([sender.id]))
        }
    }
}
