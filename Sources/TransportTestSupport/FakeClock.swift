import SocketTransport

/// A clock a test moves by hand, in uptime nanoseconds.
public final class FakeClock: Sendable {
    private let value: LockedValue<UInt64>

    /// A clock at `start` nanoseconds.
    public init(start: UInt64 = 1_000_000_000) {
        value = LockedValue(start)
    }

    /// The time now.
    public var now: UInt64 { value.withLock { $0 } }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        let nanoseconds =
            UInt64(duration.components.seconds) * 1_000_000_000
            + UInt64(duration.components.attoseconds / 1_000_000_000)
        value.withLock { $0 += nanoseconds }
    }

    /// The clock as a session reads it.
    public var reader: @Sendable () -> UInt64 { { self.now } }
}
