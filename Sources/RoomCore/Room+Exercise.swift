extension Room {
    /// The current exercise as members see it, or `nil` if none.
    func exerciseStatus(_ change: ExerciseChange) -> ExerciseStatus? {
        exercise?.status(at: now, change: change)
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

    func checkStartExercise(_ id: String) throws(RoomError) -> CommandPlan {
        guard exercise == nil else { throw .exerciseAlreadyActive }
        guard let definition = configuration.exercises.first(where: { $0.id == id }), !definition.phases.isEmpty
        else { throw .unknownExercise }
        return .startExercise(definition)
    }

    /// Starts an exercise that has at least one phase.
    mutating func startExercise(_ definition: Exercise) {
        guard let run = ExerciseRun(run: lastRun + 1, exercise: definition, at: now) else { return }
        lastRun += 1
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
        guard run.advance(from: start) else {
            finishExercise(.completed)
            return
        }
        exercise = run
        schedule(run.timer, at: run.phaseEndsAt)
        announceExercise(change)
    }

    private mutating func finishExercise(_ reason: ExerciseEnd.Reason) {
        guard let run = exercise else { return }
        exercise = nil
        emit(.exerciseEnded(ExerciseEnd(run: run.run, exerciseID: run.exercise.id, reason: reason)), to: .group)
    }

    /// The exercise must exist and, when `running` is set, not be paused.
    private func checkExercise(running: Bool) throws(RoomError) {
        guard let run = exercise else { throw .noActiveExercise }
        if running, run.isPaused { throw .exerciseNotRunning }
    }

    func checkPauseExercise() throws(RoomError) -> CommandPlan {
        try checkExercise(running: true)
        return .pauseExercise
    }

    mutating func pauseExercise() {
        guard var run = exercise, !run.isPaused else { return }
        run.pause(at: now)
        exercise = run
        cancel(run.timer)
        announceExercise(.paused)
    }

    func checkResumeExercise() throws(RoomError) -> CommandPlan {
        try checkExercise(running: false)
        guard exercise?.isPaused == true else { throw .exerciseNotPaused }
        return .resumeExercise
    }

    mutating func resumeExercise() {
        guard var run = exercise, run.isPaused else { return }
        run.resume(at: now)
        exercise = run
        schedule(run.timer, at: run.phaseEndsAt)
        announceExercise(.resumed)
    }

    func checkSkipExercisePhase() throws(RoomError) -> CommandPlan {
        try checkExercise(running: true)
        return .skipExercisePhase
    }

    mutating func skipExercisePhase() {
        guard let run = exercise, !run.isPaused else { return }
        cancel(run.timer)
        advanceExercise(from: now, change: .skipped)
    }

    func checkStopExercise() throws(RoomError) -> CommandPlan {
        try checkExercise(running: false)
        return .stopExercise
    }

    mutating func stopExercise() {
        guard let run = exercise else { return }
        if !run.isPaused { cancel(run.timer) }
        finishExercise(.stopped)
    }

    func checkSitOutExercise() throws(RoomError) -> CommandPlan {
        try checkExercise(running: false)
        return .sitOutExercise
    }

    mutating func sitOutExercise(_ sender: MemberState) {
        exercise?.sittingOut.insert(sender.id)
    }

    func checkRejoinExercise(by sender: MemberState) throws(RoomError) -> CommandPlan {
        try checkExercise(running: false)
        return exercise?.sittingOut.contains(sender.id) == true ? .rejoinExercise : .nothing
    }

    mutating func rejoinExercise(_ sender: MemberState) {
        guard exercise?.sittingOut.remove(sender.id) != nil else { return }
        if !inSideRoom(sender.id), let status = exerciseStatus(.current) {
            emit(.exercise(status), to: .members([sender.id]))
        }
    }
}
