/// A server instant: milliseconds since the Unix epoch.
///
/// RoomCore never reads a clock; every input carries one of these.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSinceEpoch: Int64

    /// Creates an instant from milliseconds since the Unix epoch.
    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    /// The instant `duration` after this one, rounded down to the millisecond.
    public func advanced(by duration: Duration) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch &+ duration.milliseconds)
    }

    /// The duration from `other` to this instant (negative if `other` is later).
    public func duration(since other: Timestamp) -> Duration {
        .milliseconds(millisecondsSinceEpoch &- other.millisecondsSinceEpoch)
    }

    /// The raw milliseconds, for diagnostics.
    public var description: String { "\(millisecondsSinceEpoch)ms" }

    /// Orders instants chronologically.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch
    }

    /// The instant `rhs` after `lhs`.
    public static func + (lhs: Timestamp, rhs: Duration) -> Timestamp { lhs.advanced(by: rhs) }
}

extension Duration {
    /// The whole number of milliseconds in this duration (rounded toward zero, saturating).
    public var milliseconds: Int64 {
        let parts = components
        let (scaled, overflow) = parts.seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return parts.seconds < 0 ? .min : .max }
        return scaled &+ parts.attoseconds / 1_000_000_000_000_000
    }
}
