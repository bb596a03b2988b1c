import Foundation
import ProgramCore
import SocketTransport

/// ProgramCore's time zones from the platform's tz database, through
/// Foundation's `TimeZone` (on Linux the toolchain's ICU data, so a given
/// toolchain answers the same everywhere). Each zone is looked up once per
/// process and kept (a handful of zones, one per clinic).
public struct SystemTimeZoneDatabase: TimeZoneDatabase {
    /// The zones looked up so far, by identifier (`nil`: unknown), shared by every instance.
    private static let zones = LockedValue<[String: TimeZone?]>([:])

    /// Creates the database view.
    public init() {}

    /// Seconds east of UTC in `identifier` at `instant`; `nil` for an unknown zone.
    public func secondsFromUTC(zone identifier: String, at instant: Instant) -> Int? {
        let zone = Self.zones.withLock { known in
            if let zone = known[identifier] { return zone }
            let zone = TimeZone(identifier: identifier)
            if known.count < 1024 { known[identifier] = zone }  // bounded: the rooms file names only a few
            return zone
        }
        guard let zone else { return nil }
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000))
    }
}
