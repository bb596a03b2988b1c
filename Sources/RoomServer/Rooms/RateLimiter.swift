/// A token bucket: `rate` tokens a second on average, bursts up to `burst` (a
/// message costs one token, or its size in bytes for the byte limit). Time is
/// passed in (milliseconds), so it is tested without a clock.
struct RateLimiter: Sendable {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last: Int64?

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
        tokens = burst
    }

    /// Takes `cost` tokens at `now`; `false` (taking none) when the bucket holds fewer.
    mutating func allow(_ cost: Double = 1, at now: Int64) -> Bool {
        if let last { tokens = min(burst, tokens + Double(max(0, now - last)) * rate / 1000) }
        last = now
        guard tokens >= cost else { return false }
        tokens -= cost
        return true
    }
}
