import Foundation
import RoomCore
import Yams

/// The rooms this server hosts, read from `Config/rooms.yaml` (Yams), with
/// three sample rooms when the file is absent (the embedded defaults).
public enum RoomCatalogue {
    /// The YAML file's shape.
    struct File: Decodable {
        var agreement: Agreement?
        var rooms: [RoomEntry]
    }

    struct Agreement: Decodable {
        var version: String
        var text: String
    }

    struct RoomEntry: Codable {
        var id: String
        var title: String
        var kind: String
        var capacity: Int
        var policy: PolicyEntry?
        /// The program's schedule (`RoomCatalogue+Program.swift`).
        var schedule: ScheduleEntry?
        /// The program's roster.
        var roster: [RosterEntry]?
    }

    struct PolicyEntry: Codable, Hashable, Sendable {
        var autoAdmit: Bool?
        var lateJoinersSeeBacklog: Bool?
        var participantPrivateMessages: Bool?
        var reconnectWindowSeconds: Int?
        var maximumMessageLength: Int?
        var retainCheckInScores: Bool?
        var reconnectBurst: Int?
        var reconnectIntervalSeconds: Int?
        var presenceGraceSeconds: Int?
        var reactions: String?
        var cues: String?
        /// Admit the program's expected members on arrival (`RoomCatalogue+Program.swift`).
        var autoAdmitEnrolled: Bool?
    }

    /// The sample rooms used when no file is given.
    public static let samples: [RoomConfiguration] = [
        RoomConfiguration(
            definition: RoomDefinition(
                id: "evening-process", title: "Evening process group", kind: .process, capacity: 15)),
        RoomConfiguration(
            definition: RoomDefinition(id: "dbt-skills", title: "DBT skills group", kind: .skills, capacity: 15)),
        RoomConfiguration(
            definition: RoomDefinition(id: "family-session", title: "Family session", kind: .family, capacity: 8)),
    ]

    /// Reads `path`; the samples if it does not exist. Every room offers `activities`.
    public static func load(path: String, activities: ActivityCatalogue = .standard) throws -> [RoomConfiguration] {
        let rooms = try definitions(path: path)
        return rooms.map {
            var room = $0
            room.exercises = activities.exercises
            room.checkInTemplates = activities.checkInTemplates
            room.agenda = activities.agenda
            room.skillsCards = activities.cards
            return room
        }
    }

    private static func definitions(path: String) throws -> [RoomConfiguration] {
        guard let data = FileManager.default.contents(atPath: path) else { return samples }
        try checkKnownKeys(String(decoding: data, as: UTF8.self), path: path)
        let file: File
        do {
            file = try YAMLDecoder().decode(File.self, from: data)
        } catch {
            throw SettingsError.unreadableFile(path, "\(error)")
        }
        let agreement = file.agreement.map { GroupAgreement(text: $0.text, version: $0.version) } ?? .sample
        var seen = Set<String>()
        for entry in file.rooms where !seen.insert(entry.id).inserted {
            throw SettingsError.outOfRange("rooms[\(entry.id)].id", "unique (two rooms have this id)")
        }
        return try file.rooms.map { entry in try definition(entry, agreement: agreement) }
    }

    /// The group agreement of the rooms file at `path` (the sample one when it has none or does not exist).
    static func agreement(path: String) throws -> GroupAgreement {
        guard let data = FileManager.default.contents(atPath: path) else { return .sample }
        do {
            let file = try YAMLDecoder().decode(File.self, from: data)
            return file.agreement.map { GroupAgreement(text: $0.text, version: $0.version) } ?? .sample
        } catch {
            throw SettingsError.unreadableFile(path, "\(error)")
        }
    }

    /// One room entry checked into its configuration (without activities); errors name `rooms[id].key`.
    static func definition(_ entry: RoomEntry, agreement: GroupAgreement) throws(SettingsError) -> RoomConfiguration {
        guard let kind = RoomKind(rawValue: entry.kind) else {
            throw .outOfRange("rooms[\(entry.id)].kind", RoomKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard entry.capacity > 0, !entry.id.isEmpty, entry.id.allSatisfy(\.isRoomIDCharacter) else {
            throw .outOfRange("rooms[\(entry.id)]", "a non-empty id of [a-z0-9-] and a positive capacity")
        }
        return RoomConfiguration(
            definition: RoomDefinition(
                id: entry.id, title: entry.title, kind: kind, capacity: entry.capacity,
                policy: try policy(entry.policy, room: entry.id)),
            agreement: agreement)
    }

    /// Whether `id` can name a room: 1 to 64 of `[a-z0-9-]`.
    static func isRoomID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.allSatisfy(\.isRoomIDCharacter)
    }

    private static func policy(_ entry: PolicyEntry?, room: String) throws(SettingsError) -> RoomPolicy {
        let defaults = RoomPolicy()
        var policy = RoomPolicy(
            autoAdmit: entry?.autoAdmit ?? defaults.autoAdmit,
            lateJoinersSeeBacklog: entry?.lateJoinersSeeBacklog ?? defaults.lateJoinersSeeBacklog,
            participantPrivateMessages: entry?.participantPrivateMessages ?? defaults.participantPrivateMessages,
            reconnectWindow: entry?.reconnectWindowSeconds.map { .seconds($0) } ?? defaults.reconnectWindow,
            maximumMessageLength: entry?.maximumMessageLength ?? defaults.maximumMessageLength,
            retainCheckInScores: entry?.retainCheckInScores ?? defaults.retainCheckInScores)
        let key = "rooms[\(room)].policy."
        guard (1...16_000).contains(policy.maximumMessageLength) else {
            throw .outOfRange(key + "maximumMessageLength", "1...16000 (its UTF-8 bound must fit a 64 KiB command)")
        }
        // Upper bounds of a day: a room's timers are instants in milliseconds, and a window of
        // centuries would wrap them (an API client's typo must not reach the room's clock).
        let day = 86_400
        guard policy.reconnectWindow >= .zero, policy.reconnectWindow <= .seconds(day) else {
            throw .outOfRange(key + "reconnectWindowSeconds", "0...86400")
        }
        if let burst = entry?.reconnectBurst {
            guard (1...10_000).contains(burst) else { throw .outOfRange(key + "reconnectBurst", "1...10000") }
            policy.reconnectAllowance.burst = burst
        }
        if let seconds = entry?.reconnectIntervalSeconds {
            guard (1...day).contains(seconds) else { throw .outOfRange(key + "reconnectIntervalSeconds", "1...86400") }
            policy.reconnectAllowance.interval = .seconds(seconds)
        }
        if let seconds = entry?.presenceGraceSeconds {
            guard (0...day).contains(seconds) else {
                throw .outOfRange(key + "presenceGraceSeconds", "0...86400 (0: every loss at once)")
            }
            policy.presenceGrace = .seconds(seconds)
        }
        try toolkitPolicy(entry, key: key, into: &policy)
        return policy
    }
}

extension Character {
    fileprivate var isRoomIDCharacter: Bool {
        ("a"..."z").contains(self) || ("0"..."9").contains(self) || self == "-"
    }
}
