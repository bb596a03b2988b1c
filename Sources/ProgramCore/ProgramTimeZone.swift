/// A known time zone and the conversions a schedule needs between wall times
/// and instants.
///
/// Daylight-saving changes: a wall time that happens twice (the repeated hour
/// when clocks fall back) is read as its **first** occurrence, the one still in
/// daylight time; a wall time that does not happen (the hour skipped when
/// clocks spring forward) is read with the offset in force **before** the
/// change, so it lands as far after the change as it was meant to be after its
/// start (02:30 on a spring-forward day in Los Angeles becomes 03:30 PDT).
/// Both rules are those of POSIX `mktime` with `tm_isdst = -1` in common C
/// libraries and of Foundation's `Calendar` defaults.
public struct ProgramTimeZone: Sendable {
    /// The zone's IANA identifier.
    public let identifier: String
    private let database: any TimeZoneDatabase

    /// The zone `identifier` from `database`, or `nil` if the database does not know it.
    public init?(identifier: String, database: any TimeZoneDatabase) {
        guard !identifier.isEmpty,
            database.secondsFromUTC(zone: identifier, at: Instant(millisecondsSinceEpoch: 0)) != nil
        else { return nil }
        self.identifier = identifier
        self.database = database
    }

    /// Seconds east of UTC at `instant`.
    public func secondsFromUTC(at instant: Instant) -> Int {
        database.secondsFromUTC(zone: identifier, at: instant) ?? 0
    }

    /// The instant the wall clock reads `time` on `date` (see the type's rules for gaps and overlaps).
    public func instant(on date: LocalDate, at time: LocalTime) -> Instant {
        let wall = Int64(date.daysSinceEpoch) * 86_400 + Int64(time.minutesAfterMidnight) * 60
        let before = offset(atSeconds: wall - 86_400)
        let after = offset(atSeconds: wall + 86_400)
        let valid = [before, after].filter { offset(atSeconds: wall - $0) == $0 }.map { wall - $0 }
        let seconds = valid.min() ?? wall - before
        return Instant(secondsSinceEpoch: seconds)
    }

    /// The wall-clock date and minutes after midnight at `instant`.
    public func wallClock(at instant: Instant) -> (date: LocalDate, minutesAfterMidnight: Int) {
        let seconds = Self.floorDivide(instant.millisecondsSinceEpoch, 1000) + Int64(secondsFromUTC(at: instant))
        let days = Self.floorDivide(seconds, 86_400)
        return (LocalDate(daysSinceEpoch: Int(days)), Int((seconds - days * 86_400) / 60))
    }

    /// The wall-clock date at `instant`.
    public func date(at instant: Instant) -> LocalDate { wallClock(at: instant).date }

    /// `instant` as ISO 8601 with this zone's offset at that instant, to the
    /// second: `2026-03-09T18:00:00-07:00` (`Z` where the offset is zero).
    public func iso8601(_ instant: Instant) -> String {
        let wall = wallClock(at: instant)
        let second = Int(Self.floorDivide(instant.millisecondsSinceEpoch, 1000) % 60 + 60) % 60
        let offset = secondsFromUTC(at: instant)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        let zone = offset == 0 ? "Z" : sign + LocalDate.two(minutes / 60) + ":" + LocalDate.two(minutes % 60)
        return "\(wall.date)T" + LocalDate.two(wall.minutesAfterMidnight / 60) + ":"
            + LocalDate.two(wall.minutesAfterMidnight % 60) + ":" + LocalDate.two(second) + zone
    }

    private func offset(atSeconds seconds: Int64) -> Int64 {
        Int64(secondsFromUTC(at: Instant(secondsSinceEpoch: seconds)))
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
