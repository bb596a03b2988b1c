/// An instant: milliseconds since the Unix epoch (1970-01-01T00:00:00Z).
///
/// ProgramCore never reads a clock: every question about "now" takes one of these.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    /// Creates an instant from milliseconds since the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// Creates an instant from whole seconds since the Unix epoch.
    public init(secondsSinceEpoch: Int64) {
        self.init(millisecondsSinceEpoch: secondsSinceEpoch &* 1000)
    }

    /// The instant `minutes` later (earlier if negative).
    public func adding(minutes: Int) -> Instant {
        Instant(millisecondsSinceEpoch: millisecondsSinceEpoch &+ Int64(minutes) &* 60_000)
    }

    /// Milliseconds from `other` to this instant (negative if `other` is later).
    public func milliseconds(since other: Instant) -> Int64 {
        millisecondsSinceEpoch &- other.millisecondsSinceEpoch
    }

    /// The raw milliseconds, for diagnostics.
    public var description: String { "\(millisecondsSinceEpoch)ms" }

    /// Chronological order.
    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }
}
