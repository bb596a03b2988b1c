import Foundation

/// A room's program as written: the `schedule:`, `roster:` and
/// `policy.autoAdmitEnrolled` of its entry in the rooms file, or what the
/// admin API made of them. Kept as JSON in the records (`room_programs`) and
/// checked into a ``RoomProgram`` by the same code as the rooms file.
/// Ids, dates and times only: nothing a member wrote.
struct ProgramDocument: Codable, Sendable, Hashable {
    /// The weekly schedule, program dates and exceptions.
    var schedule: RoomCatalogue.ScheduleEntry?
    /// Who is enrolled, with enrolment and discharge dates.
    var roster: [RoomCatalogue.RosterEntry]?
    /// `policy.autoAdmitEnrolled`.
    var autoAdmitEnrolled: Bool?

    /// The compact JSON kept in the records (keys sorted: the same program gives the same text).
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The document in `text` (as `json` wrote it), or nil.
    init?(json text: String) {
        guard let document = try? JSONDecoder().decode(Self.self, from: Data(text.utf8)) else { return nil }
        self = document
    }

    /// Creates a document.
    init(
        schedule: RoomCatalogue.ScheduleEntry? = nil, roster: [RoomCatalogue.RosterEntry]? = nil,
        autoAdmitEnrolled: Bool? = nil
    ) {
        self.schedule = schedule
        self.roster = roster
        self.autoAdmitEnrolled = autoAdmitEnrolled
    }
}
