import Foundation

/// A calendar day, `YYYY-MM-DD`, independent of any time zone.
public struct CalendarDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year.
    public var year: Int
    /// The month, 1–12.
    public var month: Int
    /// The day of the month, 1–31.
    public var day: Int

    /// Creates a day from its parts (not checked; see ``init(parsing:)``).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; `nil` if it is not a real date.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The day `instant` (milliseconds since the Unix epoch) falls on in `calendar`'s time zone.
    init(containing instant: Int64, in calendar: Calendar) {
        let parts = calendar.dateComponents([.year, .month, .day], from: Self.date(instant))
        self.init(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        let month = month < 10 ? "0\(month)" : "\(month)"
        let day = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(month)-\(day)"
    }

    /// Chronological order.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Local midnight at the start of the day, in milliseconds since the Unix epoch.
    func start(in calendar: Calendar) -> Int64 {
        let date =
            calendar.date(from: DateComponents(year: year, month: month, day: day)) ?? Date(timeIntervalSince1970: 0)
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// The following day.
    func next(in calendar: Calendar) -> CalendarDay {
        CalendarDay(containing: start(in: calendar) + 36 * 3_600_000, in: calendar)
    }

    /// The ISO week the day belongs to.
    func week(in calendar: Calendar) -> ISOWeek {
        let noon = start(in: calendar) + 12 * 3_600_000
        let parts = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Self.date(noon))
        return ISOWeek(year: parts.yearForWeekOfYear ?? year, week: parts.weekOfYear ?? 1)
    }

    static func date(_ instant: Int64) -> Date { Date(timeIntervalSince1970: Double(instant) / 1000) }
}

/// An ISO 8601 week: `2026-W48`.
public struct ISOWeek: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The week-numbering year (may differ from the calendar year near New Year).
    public var year: Int
    /// The week, 1–53.
    public var week: Int

    /// `YYYY-Www`.
    public var description: String { "\(year)-W\(week < 10 ? "0" : "")\(week)" }

    /// Chronological order.
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }
}

/// One member's attended time on one day.
public struct DayAttendance: Sendable, Hashable {
    /// The opaque member id.
    public var member: String
    /// Their role.
    public var role: String
    /// The day, in the report's time zone.
    public var day: CalendarDay
    /// The ISO week of that day.
    public var week: ISOWeek
    /// Attended time that day, in milliseconds (overlapping spans counted once).
    public var attendedMilliseconds: Int64
    /// True when that is less than the daily minimum.
    public var belowMinimumHours: Bool

    /// Hours attended that day.
    public var hours: Double { Double(attendedMilliseconds) / 3_600_000 }
}

/// One member's attendance in one ISO week.
public struct WeekAttendance: Sendable, Hashable {
    /// The opaque member id.
    public var member: String
    /// Their role.
    public var role: String
    /// The week.
    public var week: ISOWeek
    /// True when the report's range does not cover the whole week (the counts cover only part of it).
    public var partial: Bool
    /// Days with any attended time.
    public var daysAttended: Int
    /// Days meeting the daily minimum.
    public var daysMeetingMinimum: Int
    /// Attended time in the week, in milliseconds.
    public var attendedMilliseconds: Int64
    /// True when fewer days than the weekly minimum met the daily minimum.
    public var belowMinimumDays: Bool

    /// Hours attended in the week.
    public var hours: Double { Double(attendedMilliseconds) / 3_600_000 }
}

extension AttendanceReport {
    /// Splits each member's attended spans at local midnight and sums them per day.
    static func days(
        attended: [String: [Interval]], roles: [String: String], calendar: Calendar, rules: AttendanceRules
    ) -> [DayAttendance] {
        var result: [DayAttendance] = []
        let minimum = Int64(rules.minimumHoursPerDay * 3_600_000)
        for (member, spans) in attended {
            var perDay: [CalendarDay: Int64] = [:]
            for span in union(spans) {
                var start = span.start
                while start < span.end {
                    let day = CalendarDay(containing: start, in: calendar)
                    let end = min(span.end, day.next(in: calendar).start(in: calendar))
                    perDay[day, default: 0] += end - start
                    start = end
                }
            }
            for (day, total) in perDay where total > 0 {
                result.append(
                    DayAttendance(
                        member: member, role: roles[member] ?? "participant", day: day, week: day.week(in: calendar),
                        attendedMilliseconds: total, belowMinimumHours: total < minimum))
            }
        }
        return result.sorted { ($0.member, $0.day) < ($1.member, $1.day) }
    }

    /// One row per member per ISO week that overlaps the period or holds an attended day.
    static func weeks(
        days: [DayAttendance], members: [String: String], period: AttendancePeriod, calendar: Calendar,
        rules: AttendanceRules
    ) -> [WeekAttendance] {
        var covered: [ISOWeek: Int] = [:]  // days of each week inside the period
        var day = period.from
        while day <= period.to {
            covered[day.week(in: calendar), default: 0] += 1
            day = day.next(in: calendar)
        }
        var result: [WeekAttendance] = []
        for (member, role) in members {
            let mine = days.filter { $0.member == member }
            for week in Set(covered.keys).union(mine.map(\.week)) {
                let inWeek = mine.filter { $0.week == week }
                let meeting = inWeek.filter { !$0.belowMinimumHours }.count
                result.append(
                    WeekAttendance(
                        member: member, role: role, week: week, partial: covered[week, default: 0] < 7,
                        daysAttended: inWeek.count, daysMeetingMinimum: meeting,
                        attendedMilliseconds: inWeek.reduce(0) { $0 + $1.attendedMilliseconds },
                        belowMinimumDays: meeting < rules.minimumDaysPerWeek))
            }
        }
        return result.sorted { ($0.member, $0.week) < ($1.member, $1.week) }
    }

    /// The spans merged where they overlap or touch, in order.
    static func union(_ spans: [Interval]) -> [Interval] {
        var merged: [Interval] = []
        for span in spans.sorted(by: { $0.start < $1.start }) where span.length > 0 {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1].end = max(last.end, span.end)
            } else {
                merged.append(span)
            }
        }
        return merged
    }
}
