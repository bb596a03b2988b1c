/// One scheduled session: a slot on a date (or a moved session), as instants.
public struct Occurrence: Hashable, Sendable, CustomStringConvertible {
    /// `YYYY-MM-DDTHH:MM`: the local date and start time it takes place at; unique within a schedule.
    public var id: String { "\(date)T\(localStart)" }
    /// The local date it takes place on.
    public var date: LocalDate
    /// The local start time, as scheduled.
    public var localStart: LocalTime
    /// The local end time, as scheduled.
    public var localEnd: LocalTime
    /// When it starts.
    public var start: Instant
    /// When it is scheduled to end (a group that runs over is not cut off).
    public var end: Instant
    /// When its waiting room opens (``Schedule/waitingRoomLeadMinutes`` before ``start``).
    public var opensAt: Instant
    /// When facilitators are reminded of the end (``Schedule/reminderBeforeEndMinutes`` before ``end``).
    public var remindAt: Instant
    /// The date it was scheduled on before being moved, or `nil` if it was not moved.
    public var movedFrom: LocalDate?

    /// Creates an occurrence from all of its parts.
    public init(
        date: LocalDate, localStart: LocalTime, localEnd: LocalTime, start: Instant, end: Instant, opensAt: Instant,
        remindAt: Instant, movedFrom: LocalDate?
    ) {
        self.date = date
        self.localStart = localStart
        self.localEnd = localEnd
        self.start = start
        self.end = end
        self.opensAt = opensAt
        self.remindAt = remindAt
        self.movedFrom = movedFrom
    }

    /// Scheduled length in minutes (real elapsed time: an hour shorter across a spring-forward change).
    public var scheduledMinutes: Int { Int(end.milliseconds(since: start) / 60_000) }

    /// The id, for diagnostics.
    public var description: String { id }
}
