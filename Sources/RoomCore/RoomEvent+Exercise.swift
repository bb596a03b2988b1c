/// One phase of an exercise placed on the server clock.
public struct ScheduledPhase: Hashable, Sendable {
    /// Position in the exercise, from 0.
    public var index: Int
    /// The phase name.
    public var name: String
    /// The guidance.
    public var prompt: String
    /// The phase length.
    public var duration: Duration
    /// Planned start (server time); meaningful while running.
    public var startsAt: Timestamp
    /// Planned end (server time); meaningful while running.
    public var endsAt: Timestamp

    /// Creates a value from all of its fields.
    public init(
        index: Int, name: String, prompt: String, duration: Duration, startsAt: Timestamp, endsAt: Timestamp
    ) {
        self.index = index
        self.name = name
        self.prompt = prompt
        self.duration = duration
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}

/// What changed in an exercise.
public enum ExerciseChange: String, Hashable, Sendable {
    /// It started.
    case started
    /// A phase ended and the next began.
    case phaseChanged
    /// A facilitator paused it.
    case paused
    /// A facilitator resumed it; the schedule was re-announced.
    case resumed
    /// A facilitator skipped to the next phase.
    case skipped
    /// No change: the current state, for a late joiner, a returning or rejoining member.
    case current
}

/// The state of an exercise: its whole schedule with absolute times and where it is.
public struct ExerciseStatus: Hashable, Sendable {
    /// The run number within the session.
    public var run: UInt64
    /// The exercise id.
    public var exerciseID: String
    /// The exercise name.
    public var name: String
    /// Every phase from the current one to the end, with absolute times
    /// (earlier phases are omitted).
    public var phases: [ScheduledPhase]
    /// The index of the current phase.
    public var currentPhase: Int
    /// Whether it is paused.
    public var paused: Bool
    /// Time left in the current phase at the moment of this event.
    public var remainingInPhase: Duration
    /// What happened.
    public var change: ExerciseChange

    /// Creates a value from all of its fields.
    public init(
        run: UInt64, exerciseID: String, name: String, phases: [ScheduledPhase], currentPhase: Int, paused: Bool,
        remainingInPhase: Duration, change: ExerciseChange
    ) {
        self.run = run
        self.exerciseID = exerciseID
        self.name = name
        self.phases = phases
        self.currentPhase = currentPhase
        self.paused = paused
        self.remainingInPhase = remainingInPhase
        self.change = change
    }
}

/// An exercise that ended.
public struct ExerciseEnd: Hashable, Sendable {
    /// How an exercise ended.
    public enum Reason: String, Hashable, Sendable {
        /// The last phase finished.
        case completed
        /// A facilitator stopped it.
        case stopped
    }

    /// The run number.
    public var run: UInt64
    /// The exercise id.
    public var exerciseID: String
    /// Why it ended.
    public var reason: Reason

    /// Creates a value from all of its fields.
    public init(run: UInt64, exerciseID: String, reason: Reason) {
        self.run = run
        self.exerciseID = exerciseID
        self.reason = reason
    }
}
