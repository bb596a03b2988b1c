/// A wall-clock time of day, to the minute (`HH:MM`, 00:00–23:59), with no date or zone.
public struct LocalTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Minutes after midnight, 0–1439.
    public let minutesAfterMidnight: Int

    /// The time `hour`:`minute`, or `nil` outside 00:00–23:59.
    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        minutesAfterMidnight = hour * 60 + minute
    }

    /// Parses `HH:MM` (24-hour, two digits each); `nil` otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            let hour = Int(parts[0]), let minute = Int(parts[1])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    /// The hour, 0–23.
    public var hour: Int { minutesAfterMidnight / 60 }
    /// The minute, 0–59.
    public var minute: Int { minutesAfterMidnight % 60 }

    /// `HH:MM`.
    public var description: String { LocalDate.two(hour) + ":" + LocalDate.two(minute) }

    /// Earlier first.
    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        lhs.minutesAfterMidnight < rhs.minutesAfterMidnight
    }
}
