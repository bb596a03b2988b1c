import Foundation
import ProgramCore
import Yams

extension RoomCatalogue {
    /// A room's `schedule:` key.
    struct ScheduleEntry: Decodable {
        var timeZone: String
        var startDate: String
        var endDate: String
        var slots: [SlotEntry]
        var exceptions: [ExceptionEntry]?
        var waitingRoomLeadMinutes: Int?
        var reminderBeforeEndMinutes: Int?
    }

    /// One weekly slot.
    struct SlotEntry: Decodable {
        var days: [String]
        var start: String
        var end: String
    }

    /// A holiday (`cancelled: true`) or a moved session (`moveTo:`).
    struct ExceptionEntry: Decodable {
        var date: String
        var start: String?
        var cancelled: Bool?
        var moveTo: MoveEntry?
    }

    /// Where a moved session goes.
    struct MoveEntry: Decodable {
        var date: String
        var start: String
        var end: String
    }

    /// One enrolled member.
    struct RosterEntry: Decodable {
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
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        try checkProgramKeys(String(decoding: data, as: UTF8.self), path: path)
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: data)
        } catch {
            throw .unreadableFile(path, "\(error)")
        }
        var programs: [String: RoomProgram] = [:]
        for room in file.rooms where room.schedule != nil || room.roster != nil || room.policy?.autoAdmitEnrolled != nil
        {
            let key = "rooms[\(room.id)]."
            let admit = room.policy?.autoAdmitEnrolled ?? false
            guard !admit || (room.schedule != nil && room.roster != nil) else {
                throw .outOfRange(
                    key + "policy.autoAdmitEnrolled", "false unless the room has a schedule: and a roster:")
            }
            programs[room.id] = RoomProgram(
                schedule: try room.schedule.map { entry throws(SettingsError) in
                    try schedule(entry, key: key + "schedule.", database: database)
                },
                roster: try room.roster.map { entries throws(SettingsError) in try roster(entries, key: key + "roster")
                }, autoAdmitEnrolled: admit)
        }
        return programs
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
