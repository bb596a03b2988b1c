/// A day of the week, named as in the rooms file (`monday` … `sunday`).
public enum Weekday: String, Hashable, Sendable, CaseIterable, Comparable {
    /// Monday (ISO 8601 day 1).
    case monday
    /// Tuesday.
    case tuesday
    /// Wednesday.
    case wednesday
    /// Thursday.
    case thursday
    /// Friday.
    case friday
    /// Saturday.
    case saturday
    /// Sunday (ISO 8601 day 7).
    case sunday

    /// ISO 8601 number: Monday 1 … Sunday 7.
    public var isoNumber: Int {
        switch self {
        case .monday: 1
        case .tuesday: 2
        case .wednesday: 3
        case .thursday: 4
        case .friday: 5
        case .saturday: 6
        case .sunday: 7
        }
    }

    /// The weekday with ISO number `number` (1–7); `nil` outside that range.
    public init?(isoNumber number: Int) {
        guard let day = Self.allCases.first(where: { $0.isoNumber == number }) else { return nil }
        self = day
    }

    /// Monday first.
    public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.isoNumber < rhs.isoNumber }
}
