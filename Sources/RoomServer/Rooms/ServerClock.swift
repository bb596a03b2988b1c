import Foundation
import RoomCore

/// The server's wall clock, read here and nowhere in the pure targets.
public enum ServerClock {
    /// Now, as RoomCore's timestamp.
    public static func now() -> Timestamp {
        Timestamp(millisecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
    }
}
