import Logging
import RoomCore
import SocketTransport

/// Rooms created and changed at run time through the admin API. A room is
/// checked by the rooms file's own code, stored with its audit row
/// (`rooms`, `program_audit`), then hosted: a created room is joinable as
/// soon as the answer is sent, and is back at every start. The rooms file
/// seeds rooms; once a file room is changed at run time, the stored
/// definition wins at every later start (as for programs).
final class RoomRegistry: Sendable {
    /// What a new room is built from besides its definition.
    struct Template: Sendable {
        /// The rooms file's group agreement.
        var agreement: GroupAgreement
        /// The exercises, check-ins, agenda and cards every room offers.
        var activities: ActivityCatalogue
        /// The server-wide idle log-off.
        var idleLogoff: IdleLogoff

        /// The configuration of `entry`, checked like the rooms file (keys named `key…`).
        func configuration(_ entry: RoomCatalogue.RoomEntry) throws(SettingsError) -> RoomConfiguration {
            var room = try RoomCatalogue.definition(entry, agreement: agreement)
            room.exercises = activities.exercises
            room.checkInTemplates = activities.checkInTemplates
            room.agenda = activities.agenda
            room.skillsCards = activities.cards
            return room.applying(idleLogoff)
        }
    }

    let directory: RoomDirectory
    let store: (any RoomStore)?
    let template: Template
    let makeHost: @Sendable (RoomConfiguration) -> RoomHost
    /// Serializes creations and changes: check, store and host one after the other.
    private let changes = LockedValue(())

    /// Runs `body` under the lock that orders creations and changes.
    func inOrder(_ body: () -> Void) {
        changes.withLock { _ in body() }
    }

    /// Runs `body` under the lock, keeping its typed error.
    private func serialized(_ body: () throws(ProgramChangeError) -> Void) throws(ProgramChangeError) {
        let result = changes.withLock { _ -> Result<Void, ProgramChangeError> in
            do throws(ProgramChangeError) {
                try body()
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }

    init(
        directory: RoomDirectory, store: (any RoomStore)?, template: Template,
        makeHost: @escaping @Sendable (RoomConfiguration) -> RoomHost
    ) {
        self.directory = directory
        self.store = store
        self.template = template
        self.makeHost = makeHost
    }

    /// The rooms to host at start: the file's, each replaced by its stored
    /// definition if it has one, then the rooms created at run time in the
    /// order they were created. A stored definition that no longer checks out
    /// stops the server naming it (`rooms_table[id]…`, exit 64).
    static func startingRooms(
        file: [RoomConfiguration], stored: [(id: String, document: String)], template: Template, logger: Logger
    ) throws -> [RoomConfiguration] {
        var rooms = file
        for (id, text) in stored {
            guard RoomCatalogue.isRoomID(id), let document = RoomDocument(json: text) else {
                throw SettingsError.badValue("rooms_table[\(id)]", expected: "a room document")
            }
            let configuration: RoomConfiguration
            do {
                configuration = try template.configuration(document.entry(id: id))
            } catch {
                throw SettingsError.badValue("rooms_table[\(id)]", expected: "a room the rooms file would accept")
            }
            if let index = rooms.firstIndex(where: { $0.definition.id == id }) {
                logger.notice(
                    "the room was changed at run time: the stored definition wins over the rooms file",
                    metadata: ["room": "\(id)"])
                rooms[index] = configuration
            } else {
                rooms.append(configuration)
            }
        }
        return rooms
    }

    /// Creates room `id`: 400 `invalid_room`, 409 `room_exists`, 409
    /// `room_limit`, 500 `store_failed`; joinable when it returns.
    func create(_ id: String, _ document: RoomDocument, change: ProgramChange) throws(ProgramChangeError) {
        let configuration = try checked(id, document)
        try serialized { () throws(ProgramChangeError) in
            guard directory.host(id) == nil else {
                throw ProgramChangeError(status: 409, code: "room_exists", message: "a room has the id \(id)")
            }
            guard directory.all.count < directory.limit else {
                throw ProgramChangeError(
                    status: 409, code: "room_limit",
                    message: "the server hosts rooms.maxRooms (\(directory.limit)) rooms already")
            }
            try write(document, id: id, change: change)
            do {
                try directory.add(makeHost(configuration))
            } catch {
                // Checked under the same lock: cannot happen. Stored, so it is hosted at the next start.
                throw ProgramChangeError(status: 500, code: "store_failed", message: "the room could not be hosted")
            }
        }
    }

    /// Replaces room `id`'s definition: 404 `unknown_room`, 400 `invalid_room`,
    /// 409 `room_occupied` (someone is in it, here or on the node that holds its
    /// lease), 500 `store_failed`.
    func change(_ id: String, _ document: RoomDocument, change: ProgramChange) throws(ProgramChangeError) {
        guard let host = directory.host(id) else { throw .unknownRoom }
        let configuration = try checked(id, document)
        if host.leases?.isHeldElsewhere(id) == true {
            throw ProgramChangeError(
                status: 409, code: "room_occupied",
                message: "someone is in \(id) on another node: change it when the room is empty (nothing changed)")
        }
        try serialized { () throws(ProgramChangeError) in
            let applied: Bool
            do {
                applied = try host.redefine(configuration) { try write(document, id: id, change: change) }
            } catch let error as ProgramChangeError {
                throw error
            } catch {
                throw ProgramChangeError(status: 500, code: "store_failed", message: "the room could not be written")
            }
            guard applied else {
                throw ProgramChangeError(
                    status: 409, code: "room_occupied",
                    message: "someone is in \(id): change it when the room is empty (nothing changed)")
            }
        }
    }

    private func checked(_ id: String, _ document: RoomDocument) throws(ProgramChangeError) -> RoomConfiguration {
        guard RoomCatalogue.isRoomID(id) else {
            throw ProgramChangeError(
                status: 400, code: "invalid_room", message: "the room id must be 1 to 64 of a-z, 0-9 and -")
        }
        do {
            return try template.configuration(document.entry(id: id))
        } catch {
            throw .invalid("invalid_room", error)
        }
    }

    private func write(_ document: RoomDocument, id: String, change: ProgramChange) throws(ProgramChangeError) {
        do {
            try store?.storeRoom(document.json, id: id, change: change)
        } catch {
            throw ProgramChangeError(
                status: 500, code: "store_failed", message: "the room could not be written; nothing changed")
        }
    }
}
