import Foundation
import RoomCore

/// A room's program schedule as a member sees it: the next (or current)
/// session's times and the clinic's time zone, so a client can show them in
/// the member's local time. Sent by the `schedule` and `session_reminder`
/// messages (docs/PROTOCOL.md, "Program schedule").
public struct SessionSchedule: Sendable, Hashable {
    /// The clinic's IANA time zone (`America/Los_Angeles`).
    public var timeZone: String
    /// Whether the waiting room of ``session`` is open now (from its opening until its scheduled end).
    public var waitingRoomOpen: Bool
    /// The session whose waiting room is open, else the next one; `nil` once the program is over.
    public var session: ScheduledSession?
    /// The room's agenda for a session, in order (empty when the room has none).
    public var agenda: [ScheduledAgendaItem]

    /// Creates a schedule notice.
    public init(
        timeZone: String, waitingRoomOpen: Bool, session: ScheduledSession?, agenda: [ScheduledAgendaItem] = []
    ) {
        self.timeZone = timeZone
        self.waitingRoomOpen = waitingRoomOpen
        self.session = session
        self.agenda = agenda
    }
}

/// One item of a session's agenda as a member sees it ahead: its title and planned length.
public struct ScheduledAgendaItem: Sendable, Hashable {
    /// The item's title (`Check-in`), from the server's catalogue.
    public var title: String
    /// Its planned length in milliseconds.
    public var durationMs: Int64

    /// The most items a client reads.
    public static let maximumCount = 32

    /// Creates an item.
    public init(title: String, durationMs: Int64) {
        self.title = title
        self.durationMs = durationMs
    }
}

/// One scheduled session's instants.
public struct ScheduledSession: Sendable, Hashable {
    /// `YYYY-MM-DDTHH:MM` in the clinic's time zone: the session's local date and start.
    public var id: String
    /// When its waiting room opens.
    public var opensAt: Timestamp
    /// When it starts.
    public var startsAt: Timestamp
    /// When it is scheduled to end (a group that runs over is not cut off).
    public var endsAt: Timestamp

    /// Creates a session's times.
    public init(id: String, opensAt: Timestamp, startsAt: Timestamp, endsAt: Timestamp) {
        self.id = id
        self.opensAt = opensAt
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}

extension SessionSchedule {
    /// `"timeZone"`, `"waitingRoomOpen"`, `"session"` (an object, or `null` once the program is over),
    /// and `"agenda"` (`[{"title","durationMs"}]`) when the room has one.
    var wireMembers: [(String, JSONValue)] {
        var members: [(String, JSONValue)] = [
            ("timeZone", .string(timeZone)), ("waitingRoomOpen", .bool(waitingRoomOpen)),
            ("session", session.map(\.wireValue) ?? .null),
        ]
        if !agenda.isEmpty {
            members.append(
                (
                    "agenda",
                    .array(
                        agenda.map { .object([("title", .string($0.title)), ("durationMs", .int($0.durationMs))]) })
                ))
        }
        return members
    }

    init(wire: WireObject) throws(ProtocolError) {
        var agenda: [ScheduledAgendaItem] = []
        if wire.value("agenda") != nil {
            for item in try wire.objects("agenda").prefix(ScheduledAgendaItem.maximumCount) {
                agenda.append(
                    ScheduledAgendaItem(
                        title: try item.string("title", maxBytes: 200),
                        durationMs: try item.int64("durationMs", in: 0...86_400_000)))
            }
        }
        self.init(
            timeZone: try wire.string("timeZone", maxBytes: 64), waitingRoomOpen: try wire.bool("waitingRoomOpen"),
            session: try wire.optionalObject("session").map { object throws(ProtocolError) in
                try ScheduledSession(wire: object)
            }, agenda: agenda)
    }
}

extension ScheduledSession {
    /// `{"id","opensAt","startsAt","endsAt"}`, instants as ISO 8601 in UTC (`2026-03-10T01:00:00Z`).
    var wireValue: JSONValue {
        .object([
            ("id", .string(id)), ("opensAt", .string(Self.iso(opensAt))), ("startsAt", .string(Self.iso(startsAt))),
            ("endsAt", .string(Self.iso(endsAt))),
        ])
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            id: try wire.string("id", maxBytes: 32), opensAt: try Self.instant(wire, "opensAt"),
            startsAt: try Self.instant(wire, "startsAt"), endsAt: try Self.instant(wire, "endsAt"))
    }

    /// `2026-03-10T01:00:00Z`.
    static func iso(_ instant: Timestamp) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        return formatter.string(from: Date(timeIntervalSince1970: Double(instant.millisecondsSinceEpoch) / 1000))
    }

    private static func instant(_ wire: WireObject, _ key: String) throws(ProtocolError) -> Timestamp {
        let text = try wire.string(key, maxBytes: 40)
        guard let date = ISO8601DateFormatter().date(from: text) else {
            throw .invalidField(key, expected: "an ISO 8601 instant")
        }
        return Timestamp(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }
}
