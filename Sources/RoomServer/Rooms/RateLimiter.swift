/// A token bucket: `rate` messages a second on average, bursts up to `burst`.
/// Time is passed in (milliseconds), so it is tested without a clock.
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

    /// Takes one token at `now`; `false` when the bucket is empty.
    mutating func allow(at now: Int64) -> Bool {
        if let last { tokens = min(burst, tokens + Double(max(0, now - last)) * rate / 1000) }
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
