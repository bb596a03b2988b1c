import Foundation
import RoomCore

/// The server's wall clock: where everything that decides about rooms,
/// schedules, attendance, records and token validity reads "now". `iopd`
/// runs on ``system``; a test passes a clock it moves (an injected week runs
/// in seconds). Read here and nowhere in the pure targets, which take their
/// times as arguments. Monotonic timers (idle checks, reconnect windows,
/// socket timeouts) run on the event loops' own clock; the records' node
/// heartbeats and room leases stay on ``system`` (other nodes read them).
public struct ServerClock: Sendable {
    private let read: @Sendable () -> Timestamp

    /// A clock that reads `read` each time it is asked.
    public init(_ read: @escaping @Sendable () -> Timestamp) {
        self.read = read
    }

    /// The machine's clock (`Date()`), rounded to the millisecond.
    public static let system = ServerClock {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }

    /// Now, as RoomCore's timestamp.
    public func now() -> Timestamp { read() }

    /// Now, as Foundation's date (token checks, the clinic's date of a roster).
    public func date() -> Date {
        Date(timeIntervalSince1970: Double(read().millisecondsSinceEpoch) / 1000)
    }
}
