/// How often one member may open a connection to a room: a token bucket per member
/// id, `burst` connections at once, then one more every `interval`. Past it a new
/// connection is refused (`too_many_reconnects`) and nothing changes for anyone,
/// the member's present connection and place included.
///
/// The default (10 at once, then one every 6 s: ten a minute) is far above a
/// person on a poor network (the client backs off between attempts) and far below
/// a client that flaps in a loop, whose every flap would otherwise reach every
/// member and the attendance records.
public struct ReconnectAllowance: Hashable, Sendable {
    /// Connections a member may open at once. Default 10.
    public var burst: Int
    /// Time that gives back one connection. Default 6 s.
    public var interval: Duration

    /// Creates an allowance; the defaults are documented above.
    public init(burst: Int = 10, interval: Duration = .seconds(6)) {
        self.burst = burst
        self.interval = interval
    }

    /// Takes one connection from a member's bucket at `now`. The bucket is kept as the
    /// instant it is full again (`nil` or past: full), so a member who comes rarely
    /// costs nothing. Returns the new full-again instant, or `nil` when refused.
    func take(_ fullAt: Timestamp?, at now: Timestamp) -> Timestamp? {
        let start = max(fullAt ?? now, now)
        // Refused when one more would push the full-again instant past burst·interval from now.
        guard start + interval <= now + interval * max(1, burst) else { return nil }
        return start + interval
    }
}
