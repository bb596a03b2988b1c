/// One timed phase of an exercise.
public struct ExercisePhase: Hashable, Sendable {
    /// A short name, e.g. "Breathe in".
    public var name: String
    /// How long the phase lasts.
    public var duration: Duration
    /// The guidance shown during the phase.
    public var prompt: String

    /// Creates a phase.
    public init(name: String, duration: Duration, prompt: String) {
        self.name = name
        self.duration = duration
        self.prompt = prompt
    }
}

/// A timed skill exercise from the catalogue.
public struct Exercise: Hashable, Sendable {
    /// The id a facilitator names to start it.
    public var id: String
    /// The name shown to members.
    public var name: String
    /// The phases in order; the exercise ends after the last.
    public var phases: [ExercisePhase]

    /// Creates an exercise.
    public init(id: String, name: String, phases: [ExercisePhase]) {
        self.id = id
        self.name = name
        self.phases = phases
    }

    /// The sum of all phase durations.
    public var totalDuration: Duration { phases.reduce(.zero) { $0 + $1.duration } }
}

/// The sample exercise catalogue.
public enum ExerciseCatalogue {
    private static func phase(_ name: String, _ seconds: Int64, _ prompt: String) -> ExercisePhase {
        ExercisePhase(name: name, duration: .seconds(seconds), prompt: prompt)
    }

    private static func repeated(_ cycle: [ExercisePhase], times: Int) -> [ExercisePhase] {
        Array((0..<times).map { _ in cycle }.joined())
    }

    /// Box breathing: four cycles of in 4 s, hold 4 s, out 4 s, hold 4 s.
    public static let boxBreathing = Exercise(
        id: "box-breathing", name: "Box breathing",
        phases: repeated(
            [
                phase("Breathe in", 4, "Breathe in slowly through your nose."),
                phase("Hold", 4, "Hold gently."),
                phase("Breathe out", 4, "Breathe out slowly through your mouth."),
                phase("Hold", 4, "Rest before the next breath."),
            ], times: 4))

    /// 4-7-8 breathing: four cycles of in 4 s, hold 7 s, out 8 s.
    public static let breathing478 = Exercise(
        id: "4-7-8-breathing", name: "4-7-8 breathing",
        phases: repeated(
            [
                phase("Breathe in", 4, "Breathe in quietly through your nose."),
                phase("Hold", 7, "Hold your breath."),
                phase("Breathe out", 8, "Exhale completely through your mouth."),
            ], times: 4))

    /// 5-4-3-2-1 grounding through the senses.
    public static let grounding54321 = Exercise(
        id: "grounding-5-4-3-2-1", name: "5-4-3-2-1 grounding",
        phases: [
            phase("See", 30, "Notice five things you can see."),
            phase("Touch", 30, "Notice four things you can feel."),
            phase("Hear", 30, "Notice three things you can hear."),
            phase("Smell", 20, "Notice two things you can smell."),
            phase("Taste", 20, "Notice one thing you can taste."),
        ])

    /// Progressive muscle relaxation: tense 5 s, release 15 s, five muscle groups.
    public static let progressiveMuscleRelaxation = Exercise(
        id: "progressive-muscle-relaxation", name: "Progressive muscle relaxation",
        phases: ["hands and arms", "shoulders", "face", "stomach", "legs and feet"].flatMap { group in
            [
                phase("Tense", 5, "Tense your \(group)."),
                phase("Release", 15, "Let your \(group) go loose and notice the difference."),
            ]
        })

    /// Urge surfing: notice an urge, ride it like a wave, watch it pass.
    public static let urgeSurfing = Exercise(
        id: "urge-surfing", name: "Urge surfing",
        phases: [
            phase("Notice", 60, "Notice the urge and where you feel it in your body."),
            phase("Breathe", 60, "Breathe into that place; you do not have to act."),
            phase("Ride the wave", 120, "Watch the urge rise and peak like a wave."),
            phase("Let it pass", 60, "Notice it fall away. Urges pass."),
        ])

    /// A mindful minute: settle, notice the breath, return.
    public static let mindfulMinute = Exercise(
        id: "mindful-minute", name: "Mindful minute",
        phases: [
            phase("Settle", 10, "Sit comfortably and let your eyes rest."),
            phase("Breathe", 40, "Notice your breath without changing it."),
            phase("Return", 10, "Notice the room around you again."),
        ])

    /// All six sample exercises.
    public static let standard: [Exercise] = [
        boxBreathing, breathing478, grounding54321, progressiveMuscleRelaxation, urgeSurfing, mindfulMinute,
    ]
}
