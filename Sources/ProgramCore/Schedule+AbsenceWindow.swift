extension Schedule {
    /// How many days before and after today a facilitator may record an
    /// absence reason for (14: two weeks of sessions either way, so a missed
    /// session can be noted at the next meetings, and a planned one ahead).
    public static let absenceWindowDays = 14

    /// The sessions dated within ``absenceWindowDays`` of the clinic's date at
    /// `instant` (both ends included), each with the members `roster` expects
    /// at it, by session id. Sessions no one is expected at are left out.
    public func absenceWindow(roster: Roster, at instant: Instant) -> [String: [String]] {
        let today = timeZone.date(at: instant)
        var window: [String: [String]] = [:]
        var day = max(today.adding(days: -Self.absenceWindowDays), startDate)
        let last = min(today.adding(days: Self.absenceWindowDays), endDate)
        while day <= last {
            for occurrence in occurrences(on: day) {
                let expected = roster.expected(at: occurrence)
                if !expected.isEmpty { window[occurrence.id] = expected }
            }
            day = day.adding(days: 1)
        }
        return window
    }
}
