/// A span a member was in the session (admitted and present): from `start` until `end`.
///
/// The server's attendance records give these already: `AttendanceReport`'s
/// stay tally keeps the admitted spans and leaves out time stepped out or
/// disconnected, which therefore shows here as gaps between stays.
public struct Stay: Hashable, Sendable {
    /// When the span began.
    public var start: Instant
    /// When it ended (at or after ``start``).
    public var end: Instant

    /// Creates a stay.
    public init(start: Instant, end: Instant) {
        self.start = start
        self.end = end
    }

    /// The part of the stay inside `[from, to)`, or `nil` if none.
    func clipped(from: Instant, to: Instant) -> Stay? {
        let clipped = Stay(start: max(start, from), end: min(end, to))
        return clipped.start < clipped.end ? clipped : nil
    }

    /// The stays merged where they overlap or touch, earliest first.
    static func merged(_ stays: [Stay]) -> [Stay] {
        var result: [Stay] = []
        for stay in stays.sorted(by: { $0.start < $1.start }) where stay.start < stay.end {
            if let last = result.last, stay.start <= last.end {
                result[result.count - 1].end = max(last.end, stay.end)
            } else {
                result.append(stay)
            }
        }
        return result
    }
}
