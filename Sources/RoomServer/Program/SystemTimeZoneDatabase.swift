import Foundation
import ProgramCore

/// ProgramCore's time zones from the platform's tz database, through
/// Foundation's `TimeZone` (on Linux the toolchain's ICU data, so a given
/// toolchain answers the same everywhere). Zones are looked up once and kept.
public struct SystemTimeZoneDatabase: TimeZoneDatabase {
    /// Creates the database view.
    public init() {}

    /// Seconds east of UTC in `identifier` at `instant`; `nil` for an unknown zone.
    public func secondsFromUTC(zone identifier: String, at instant: Instant) -> Int? {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000))
    }
}
