import RoomCore

/// Where a running exercise is at a given server time, computed from the schedule
/// the server announced (absolute phase times), so every client shows the same phase.
public struct ExercisePosition: Sendable, Hashable {
    /// The phase now running (the last announced one once the schedule is over).
    public var phase: ScheduledPhase
    /// Time left in this phase.
    public var remaining: Duration
    /// How far through the phase, 0 to 1.
    public var progress: Double
    /// The size of a breathing shape, 0 (empty lungs) to 1 (full): grows while
    /// breathing in, stays while holding, shrinks while breathing out.
    public var breath: Double
    /// The exercise is paused.
    public var paused: Bool

    /// The position of `status` at server time `now` (ms since the epoch).
    public init?(_ status: ExerciseStatus, at now: Int64) {
        guard !status.phases.isEmpty else { return nil }
        let phases = status.phases
        let current: ScheduledPhase
        let remainingMs: Int64
        if status.paused {
            current = phases.first { $0.index == status.currentPhase } ?? phases[0]
            remainingMs = status.remainingInPhase.milliseconds
        } else {
            current =
                phases.first { $0.startsAt.millisecondsSinceEpoch <= now && now < $0.endsAt.millisecondsSinceEpoch }
                ?? (now < phases[0].startsAt.millisecondsSinceEpoch ? phases[0] : phases[phases.count - 1])
            remainingMs = max(0, min(current.endsAt.millisecondsSinceEpoch - now, current.duration.milliseconds))
        }
        let total = max(1, current.duration.milliseconds)
        phase = current
        remaining = .milliseconds(remainingMs)
        progress = min(1, max(0, Double(total - remainingMs) / Double(total)))
        paused = status.paused
        let before = phases.last { $0.index < current.index }
        breath = Self.breath(current.name, progress, previous: before?.name)
    }

    /// Grows on "in", shrinks on "out", holds at the level the previous phase left.
    static func breath(_ name: String, _ progress: Double, previous: String?) -> Double {
        switch Self.motion(name) {
        case .inhale: return progress
        case .exhale: return 1 - progress
        case .hold:
            if let previous, Self.motion(previous) == .exhale { return 0 }
            return previous == nil ? 0.5 : 1
        }
    }

    private enum Motion { case inhale, exhale, hold }

    private static func motion(_ name: String) -> Motion {
        let lower = name.lowercased()
        if lower.contains("out") || lower.contains("exhale") { return .exhale }
        if lower.contains(" in") || lower.hasPrefix("in") || lower.contains("inhale") { return .inhale }
        return .hold
    }
}
