/// Counts, per HTTP/2 connection, what costs the server without moving any
/// request forward, in fixed windows of `HTTP2Configuration.floodWindow`:
/// streams the client resets (rapid reset, CVE-2023-44487) and frames that
/// make no progress (PING, SETTINGS, PRIORITY, empty DATA). Past either
/// limit the connection is told to calm down (GOAWAY ENHANCE_YOUR_CALM).
/// Reads no clock: the caller passes `now` (uptime ns).
struct HTTP2FloodGuard {
    /// What went over its limit.
    enum Verdict: Equatable {
        /// Within the limits.
        case fine
        /// Too many streams reset in the window.
        case tooManyResets
        /// Too many frames without progress in the window.
        case tooManyIdleFrames
    }

    private let limits: HTTP2Configuration
    private var windowStart: UInt64 = 0
    private var resets = 0
    private var idleFrames = 0

    init(limits: HTTP2Configuration) {
        self.limits = limits
    }

    /// The client reset one of its streams (RST_STREAM) at `now`.
    mutating func reset(at now: UInt64) -> Verdict {
        roll(now)
        resets += 1
        return resets > limits.maxResetsPerWindow ? .tooManyResets : .fine
    }

    /// The client sent a frame that makes no progress at `now`.
    mutating func idleFrame(at now: UInt64) -> Verdict {
        roll(now)
        idleFrames += 1
        return idleFrames > limits.maxIdleFramesPerWindow ? .tooManyIdleFrames : .fine
    }

    private mutating func roll(_ now: UInt64) {
        guard now &- windowStart >= limits.floodWindow.nanoseconds else { return }
        windowStart = now
        resets = 0
        idleFrames = 0
    }
}
