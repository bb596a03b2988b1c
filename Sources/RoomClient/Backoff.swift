import RoomCore

/// Exponential backoff with jitter for reconnecting (pure: randomness is injected).
///
/// The n-th retry (from 0) waits `min(maximum, initial × multiplier^n)` scaled by a
/// random factor in `1 − jitter ... 1`, so a room whose server restarts does not see
/// every client come back in the same millisecond.
public struct Backoff: Sendable, Hashable {
    /// The first delay. Default 0.5 s: a brief network blip heals almost unnoticed.
    public var initial: Duration
    /// The longest delay. Default 15 s: well inside the server's 2-minute reconnect window.
    public var maximum: Duration
    /// Growth per attempt. Default 2.
    public var multiplier: Double
    /// Fraction of the delay that is random. Default 0.5 ("equal jitter").
    public var jitter: Double

    /// Creates a policy; the defaults suit a room's 2-minute reconnect window.
    public init(
        initial: Duration = .milliseconds(500), maximum: Duration = .seconds(15), multiplier: Double = 2,
        jitter: Double = 0.5
    ) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before retry number `attempt` (0-based), using `random` for the jitter.
    public func delay(attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        let base = Double(initial.milliseconds) * pow(multiplier, Double(min(attempt, 30)))
        let capped = min(base, Double(maximum.milliseconds))
        let unit = Double(random.next() >> 11) / Double(1 << 53)
        let factor = 1 - jitter + jitter * unit
        return .milliseconds(Int64((capped * factor).rounded()))
    }

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= base }
        return result
    }
}
