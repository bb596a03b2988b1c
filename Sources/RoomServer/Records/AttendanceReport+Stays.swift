/// One member in one session: the row of the export that documents it.
public struct SessionAttendance: Sendable, Hashable {
    /// The room id.
    public var room: String
    /// The session id.
    public var sessionID: Int64
    /// When the session started (milliseconds since the Unix epoch).
    public var sessionStart: Int64
    /// When it ended; `nil` while it runs.
    public var sessionEnd: Int64?
    /// Why the session ended; `nil` while it runs.
    public var sessionEndReason: String?
    /// The opaque member id (records hold no alias).
    public var member: String
    /// `participant` or `facilitator`.
    public var role: String
    /// The agreement version the member last accepted in this session.
    public var consentVersion: String?
    /// When they accepted it.
    public var consentedAt: Int64?
    /// When they were first let in (facilitators: when they first arrived).
    public var admittedAt: Int64?
    /// When their first connection arrived.
    public var firstJoined: Int64
    /// When they last left; `nil` while still present.
    public var lastLeft: Int64?
    /// Time admitted and present, less time stepped out or disconnected, in milliseconds.
    public var attendedMilliseconds: Int64
    /// Time admitted but stepped out, in milliseconds.
    public var steppedOutMilliseconds: Int64
    /// Time admitted but with the connection lost (within the reconnect window), in milliseconds.
    public var disconnectedMilliseconds: Int64
    /// Why they last left (`closed_by_client`, `session_ended`, `removed`, `idle_logged_off`,
    /// `server_stopped`, ...); `nil` while still present.
    public var endReason: String?

    /// Whole minutes attended, rounded down (a started minute is not billed).
    public var attendedMinutes: Int64 { attendedMilliseconds / 60_000 }
    /// Whole minutes stepped out, rounded down.
    public var steppedOutMinutes: Int64 { steppedOutMilliseconds / 60_000 }
    /// Whole minutes disconnected, rounded down.
    public var disconnectedMinutes: Int64 { disconnectedMilliseconds / 60_000 }

    init(session: AttendanceReport.SessionRow, member: String, tally: StayTally) {
        room = session.room
        sessionID = session.id
        sessionStart = session.startedAt
        sessionEnd = session.endedAt
        sessionEndReason = session.endReason
        self.member = member
        role = tally.role
        consentVersion = tally.consentVersion
        consentedAt = tally.consentedAt
        admittedAt = tally.admittedAt
        firstJoined = tally.firstJoined ?? session.startedAt
        lastLeft = tally.present ? nil : tally.lastLeft
        attendedMilliseconds = tally.attended.reduce(0) { $0 + $1.length }
        steppedOutMilliseconds = tally.steppedOut
        disconnectedMilliseconds = tally.disconnected
        endReason = tally.present ? nil : tally.endReason
    }
}

/// Walks one member's attendance events of one session, in order, and keeps
/// where the time went. Only admitted time counts: the waiting room and the
/// agreement screen are not attendance. A side room is attendance (the member
/// is with a facilitator).
struct StayTally {
    var role = "participant"
    var consentVersion: String?
    var consentedAt: Int64?
    var admittedAt: Int64?
    var firstJoined: Int64?
    var lastLeft: Int64?
    var endReason: String?
    /// The spans attended, in order (adjacent spans are merged).
    var attended: [Interval] = []
    var steppedOut: Int64 = 0
    var disconnected: Int64 = 0

    private(set) var present = false
    private var admitted = false
    private var away = false
    private var lost = false
    private var since: Int64 = 0

    mutating func apply(_ event: AttendanceReport.EventRow) {
        role = event.role
        advance(to: event.at)
        switch event.event {
        case "connected":
            present = true
            admitted = event.role == "facilitator"  // facilitators enter directly
            away = false
            lost = false
            if firstJoined == nil { firstJoined = event.at }
            if admitted, admittedAt == nil { admittedAt = event.at }
        case "consented":
            consentVersion = event.detail
            consentedAt = event.at
        case "admitted":
            admitted = true
            if admittedAt == nil { admittedAt = event.at }
        case "stepped_out": away = true
        case "stepped_back": away = false
        case "connection_lost": lost = true
        case "resumed": lost = false
        case "left":
            present = false
            admitted = false
            away = false
            lost = false
            lastLeft = event.at
            endReason = event.detail
        default: break  // side rooms: still attending
        }
    }

    /// Counts the time up to `instant` for a member still present when the session closed (or now).
    mutating func finish(at instant: Int64) {
        if present { advance(to: instant) }
    }

    private mutating func advance(to instant: Int64) {
        defer { since = max(since, instant) }
        guard present, admitted, instant > since else { return }
        let span = Interval(start: since, end: instant)
        if lost {
            disconnected += span.length
        } else if away {
            steppedOut += span.length
        } else if let last = attended.last, last.end == span.start {
            attended[attended.count - 1].end = span.end
        } else {
            attended.append(span)
        }
    }
}
