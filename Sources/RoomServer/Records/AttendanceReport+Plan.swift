import ProgramCore

extension AttendanceReport.Input {
    /// Each member's admitted spans in these sessions, as ProgramCore's stays
    /// (the same walk over the events as the report's rows: time in the waiting
    /// room, stepped out or disconnected is not a stay). `asOf` closes what is
    /// still open, as for the report.
    public func stays(asOf: Int64) -> [String: [Stay]] {
        var result: [String: [Stay]] = [:]
        let events = Dictionary(grouping: events, by: \.sessionID)
        for session in sessions {
            let ordered = (events[session.id] ?? []).sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
            for (member, rows) in Dictionary(grouping: ordered, by: \.member) {
                var tally = StayTally()
                for event in rows { tally.apply(event) }
                tally.finish(at: session.endedAt ?? asOf)
                result[member, default: []] += tally.attended.map {
                    Stay(
                        start: Instant(millisecondsSinceEpoch: $0.start), end: Instant(millisecondsSinceEpoch: $0.end))
                }
            }
        }
        return result
    }
}
