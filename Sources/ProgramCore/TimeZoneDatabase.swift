/// Where ProgramCore learns a time zone's rules: the offset from UTC that a
/// named zone (IANA, `America/Los_Angeles`) has at an instant.
///
/// ProgramCore is pure and imports no Foundation (`Scripts/check-purity`), and
/// Foundation's tz database is not in FoundationEssentials on Linux (there,
/// `TimeZone(identifier:)` finds only fixed offsets). So the database comes in
/// through this protocol: the server's implementation reads the platform's tz
/// database through Foundation's `TimeZone` (deterministic for a given
/// database), and everything else (wall times, gaps, overlaps) is computed here.
public protocol TimeZoneDatabase: Sendable {
    /// Seconds east of UTC in the zone `identifier` at `instant`; `nil` if the zone is unknown.
    func secondsFromUTC(zone identifier: String, at instant: Instant) -> Int?
}
