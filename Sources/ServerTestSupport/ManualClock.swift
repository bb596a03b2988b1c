import Foundation
import RoomCore
import RoomServer
import Synchronization

/// A wall clock a test moves by hand: the server reads it wherever it asks
/// for "now" (``ServerClock``), so a clinic's week runs in seconds and every
/// recorded time is the one the test chose. It never moves on its own.
public final class ManualClock: Sendable {
    private let milliseconds: Mutex<Int64>

    /// A clock standing at `start`.
    public init(_ start: Date) {
        milliseconds = Mutex(Int64((start.timeIntervalSince1970 * 1000).rounded()))
    }

    /// The server's view of this clock.
    public var clock: ServerClock {
        ServerClock { [self] in Timestamp(millisecondsSinceEpoch: milliseconds.withLock { $0 }) }
    }

    /// Where the clock stands.
    public var date: Date {
        Date(timeIntervalSince1970: Double(milliseconds.withLock { $0 }) / 1000)
    }

    /// Moves the clock to `date` (forwards only: a clock going back is no week).
    public func set(_ date: Date) {
        let target = Int64((date.timeIntervalSince1970 * 1000).rounded())
        milliseconds.withLock { $0 = max($0, target) }
    }

    /// Moves the clock `minutes` forwards.
    public func advance(minutes: Int) {
        milliseconds.withLock { $0 += Int64(minutes) * 60_000 }
    }
}
