// Why `AttendanceReport` spans about 680 lines of extensions (over the ~500 the
// style allows): one pure computation (stays, then days and weeks, then the
// outputs), each step in its own file (none over 200 lines). Next candidate: the
// calendar (`AttendanceReport+Calendar`) as a value of its own.
import Foundation

/// The attendance export of one room over a range of days: one row per member
/// per session, a per-member daily roll-up and a per-member ISO-week roll-up
/// with the program's minimums flagged. Pure computation over rows read from
/// the records (``AttendanceReport/Input``), so it is tested with fixed rows
/// and times. Members are opaque ids: records hold no alias; the clinic maps
/// ids to people.
public struct AttendanceReport: Sendable, Hashable {
    /// One member in one session.
    public var sessions: [SessionAttendance]
    /// One member on one calendar day (in the report's time zone) with time attended.
    public var days: [DayAttendance]
    /// One member in one ISO week overlapping the report's range.
    public var weeks: [WeekAttendance]
    /// The rules the report was computed with.
    public var rules: AttendanceRules
    /// The first and last day of the range, as asked for.
    public var period: AttendancePeriod

    /// Computes the report from the records of one room.
    ///
    /// `asOf` closes what is still open (a session running while the export is
    /// made): time counts up to that instant, and the row shows no end.
    public init(input: Input, period: AttendancePeriod, rules: AttendanceRules, asOf: Int64) {
        self.rules = rules
        self.period = period
        let calendar = rules.calendar
        var rows: [SessionAttendance] = []
        var attended: [String: [Interval]] = [:]
        var roles: [String: String] = [:]
        let events = Dictionary(grouping: input.events, by: \.sessionID)
        for session in input.sessions.sorted(by: { ($0.startedAt, $0.id) < ($1.startedAt, $1.id) }) {
            let closing = session.endedAt ?? asOf
            let ordered = (events[session.id] ?? []).sorted { ($0.at, $0.sequence) < ($1.at, $1.sequence) }
            let members = Dictionary(grouping: ordered, by: \.member)
            let order = ordered.map(\.member).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            for member in order {
                var tally = StayTally()
                for event in members[member] ?? [] { tally.apply(event) }
                tally.finish(at: closing)
                rows.append(SessionAttendance(session: session, member: member, tally: tally))
                attended[member, default: []] += tally.attended
                roles[member] = tally.role
            }
        }
        sessions = rows
        days = Self.days(attended: attended, roles: roles, calendar: calendar, rules: rules)
        weeks = Self.weeks(days: days, members: roles, period: period, calendar: calendar, rules: rules)
    }

    /// The rows a report is computed from.
    public struct Input: Sendable, Hashable {
        /// The room's sessions in the range.
        public var sessions: [SessionRow]
        /// Every attendance event of those sessions.
        public var events: [EventRow]

        /// Creates an input from its rows.
        public init(sessions: [SessionRow], events: [EventRow]) {
            self.sessions = sessions
            self.events = events
        }
    }

    /// A row of the `sessions` table. Times are milliseconds since the Unix epoch.
    public struct SessionRow: Sendable, Hashable {
        /// The session id.
        public var id: Int64
        /// The room id.
        public var room: String
        /// When the session's first record was kept.
        public var startedAt: Int64
        /// When it ended, or `nil` while it runs.
        public var endedAt: Int64?
        /// Why it ended (`session_ended`, `server_stopped`), or `nil` while it runs.
        public var endReason: String?

        /// Creates a row from all of its columns.
        public init(id: Int64, room: String, startedAt: Int64, endedAt: Int64?, endReason: String?) {
            self.id = id
            self.room = room
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.endReason = endReason
        }
    }

    /// A row of the `attendance_events` table.
    public struct EventRow: Sendable, Hashable {
        /// The row id (orders events kept in the same millisecond).
        public var sequence: Int64
        /// The session id.
        public var sessionID: Int64
        /// The opaque member id.
        public var member: String
        /// `participant` or `facilitator`.
        public var role: String
        /// The event code (`connected`, `consented`, `admitted`, `stepped_out`, ...).
        public var event: String
        /// The consent version, the admitting facilitator or the leave reason.
        public var detail: String?
        /// When, in milliseconds since the Unix epoch.
        public var at: Int64

        /// Creates a row from all of its columns.
        public init(
            sequence: Int64, sessionID: Int64, member: String, role: String, event: String, detail: String?, at: Int64
        ) {
            self.sequence = sequence
            self.sessionID = sessionID
            self.member = member
            self.role = role
            self.event = event
            self.detail = detail
            self.at = at
        }
    }
}

/// A half-open span of time, in milliseconds since the Unix epoch.
struct Interval: Sendable, Hashable {
    var start: Int64
    var end: Int64
    var length: Int64 { max(0, end - start) }
}

/// What a report counts as enough: `attendance.*` settings.
public struct AttendanceRules: Sendable, Hashable {
    /// Hours a member must attend in a day. Default 3 (IOP billing commonly needs 3).
    public var minimumHoursPerDay: Double = 3
    /// Days meeting the daily minimum a member needs in a week. Default 3.
    public var minimumDaysPerWeek = 3
    /// The IANA name of the time zone days and weeks are counted in. Default `UTC`.
    public var timeZoneName = "UTC"

    /// The time zone named by ``timeZoneName`` (UTC if the name is unknown; settings refuse one).
    public var timeZone: TimeZone { TimeZone(identifier: timeZoneName) ?? TimeZone(secondsFromGMT: 0)! }

    /// The defaults.
    public init() {}

    /// ISO 8601 weeks (Monday first, week 1 holds the first Thursday) in ``timeZone``.
    var calendar: Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        return calendar
    }
}

/// The days a report covers, both included, in the rules' time zone.
public struct AttendancePeriod: Sendable, Hashable {
    /// The first day.
    public var from: CalendarDay
    /// The last day.
    public var to: CalendarDay

    /// Creates a period; `from` must not be after `to`.
    public init(from: CalendarDay, to: CalendarDay) {
        self.from = from
        self.to = to
    }

    /// The instants the period covers in `calendar`'s time zone, in milliseconds: [start of `from`, start of the day after `to`).
    func bounds(in calendar: Calendar) -> Interval {
        Interval(start: from.start(in: calendar), end: to.next(in: calendar).start(in: calendar))
    }
}
