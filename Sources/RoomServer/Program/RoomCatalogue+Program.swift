import Foundation
import ProgramCore
import Yams

extension RoomCatalogue {
    /// A room's `schedule:` key.
    struct ScheduleEntry: Codable, Sendable, Hashable {
        var timeZone: String
        var startDate: String
        var endDate: String
        var slots: [SlotEntry]
        var exceptions: [ExceptionEntry]?
        var waitingRoomLeadMinutes: Int?
        var reminderBeforeEndMinutes: Int?
    }

    /// One weekly slot.
    struct SlotEntry: Codable, Sendable, Hashable {
        var days: [String]
        var start: String
        var end: String
    }

    /// A holiday (`cancelled: true`) or a moved session (`moveTo:`).
    struct ExceptionEntry: Codable, Sendable, Hashable {
        var date: String
        var start: String?
        var cancelled: Bool?
        var moveTo: MoveEntry?
    }

    /// Where a moved session goes.
    struct MoveEntry: Codable, Sendable, Hashable {
        var date: String
        var start: String
        var end: String
    }

    /// One enrolled member.
    struct RosterEntry: Codable, Sendable, Hashable {
        var member: String
        var enrolled: String
        var discharged: String?
    }

    /// The program of every room in the rooms file at `path` that has a
    /// `schedule:` or a `roster:` (none if the file does not exist), checked:
    /// a bad value throws a ``SettingsError`` naming its key (`iopd` exits 64).
    public static func programs(
        path: String, database: any TimeZoneDatabase = SystemTimeZoneDatabase()
    ) throws(SettingsError) -> [String: RoomProgram] {
        var programs: [String: RoomProgram] = [:]
        for (room, document) in try programDocuments(path: path) {
            programs[room] = try program(document, key: "rooms[\(room)].", database: database)
        }
        return programs
    }

    /// The `schedule:`, `roster:` and `policy.autoAdmitEnrolled` of every room
    /// in the rooms file at `path` that has one of them, as written (unknown
    /// keys refused; values checked by ``program(_:key:database:)``).
    static func programDocuments(path: String) throws(SettingsError) -> [String: ProgramDocument] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        try checkProgramKeys(String(decoding: data, as: UTF8.self), path: path)
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: data)
        } catch {
            throw .unreadableFile(path, "\(error)")
        }
        var documents: [String: ProgramDocument] = [:]
        for room in file.rooms where room.schedule != nil || room.roster != nil || room.policy?.autoAdmitEnrolled != nil
        {
            documents[room.id] = ProgramDocument(
                schedule: room.schedule, roster: room.roster, autoAdmitEnrolled: room.policy?.autoAdmitEnrolled)
        }
        return documents
    }

    /// `document` checked into a program; errors name their key after
    /// `key` (`rooms[id].` for the rooms file, empty for the admin API).
    static func program(
        _ document: ProgramDocument, key: String, database: any TimeZoneDatabase
    ) throws(SettingsError) -> RoomProgram {
        let admit = document.autoAdmitEnrolled ?? false
        guard !admit || (document.schedule != nil && document.roster != nil) else {
            throw .outOfRange(key + "policy.autoAdmitEnrolled", "false unless the room has a schedule: and a roster:")
        }
        return RoomProgram(
            schedule: try document.schedule.map { entry throws(SettingsError) in
                try schedule(entry, key: key + "schedule.", database: database)
            },
            roster: try document.roster.map { entries throws(SettingsError) in
                try roster(entries, key: key + "roster")
            }, autoAdmitEnrolled: admit)
    }

    static func date(_ text: String, _ key: String) throws(SettingsError) -> LocalDate {
        guard let date = LocalDate(parsing: text) else { throw .badValue(key, expected: "a date YYYY-MM-DD") }
        return date
    }

    static func time(_ text: String, _ key: String) throws(SettingsError) -> LocalTime {
        guard let time = LocalTime(parsing: text) else { throw .badValue(key, expected: "a time HH:MM (00:00–23:59)") }
        return time
    }

    private static func roster(_ entries: [RosterEntry], key: String) throws(SettingsError) -> Roster {
        var enrolments: [Enrolment] = []
        for (index, entry) in entries.enumerated() {
            let at = "\(key)[\(index)]."
            enrolments.append(
                Enrolment(
                    member: entry.member, enrolled: try date(entry.enrolled, at + "enrolled"),
                    discharged: try entry.discharged.map { text throws(SettingsError) in
                        try date(text, at + "discharged")
                    }))
        }
        do {
            return try Roster(enrolments)
        } catch {
            switch error {
            case .emptyMember(let entry): throw .outOfRange("\(key)[\(entry)].member", "a non-empty member id")
            case .duplicateMember(let entry):
                throw .outOfRange("\(key)[\(entry)].member", "unique (the member is on the roster twice)")
            case .dischargedBeforeEnrolled(let entry):
                throw .outOfRange("\(key)[\(entry)].discharged", "on or after enrolled")
            }
        }
    }
}
