import Foundation
import Logging
import ProgramCore
import RoomCore
import SocketTransport

/// Every room's program, as the rooms file seeded it or the admin API last
/// changed it. Precedence: once a room's program has been changed at run
/// time, the stored one wins over the rooms file at every start (the file's
/// `schedule:`/`roster:` for that room is ignored, with a notice); rooms never
/// changed keep following the file. A change is checked by the same code as
/// the file, stored with its audit row, then adopted by the running room.
final class ProgramRegistry: Sendable {
    /// Where a room's program comes from.
    enum Source: String, Sendable {
        /// `Config/rooms.yaml`.
        case file
        /// Changed at run time, kept in the records.
        case store
    }

    /// A room's program as written, where it came from, and as checked.
    struct Entry {
        var document: ProgramDocument
        var source: Source
        var program: RoomProgram
    }

    let rooms: RoomDirectory
    let store: (any ProgramStore)?
    let database: any TimeZoneDatabase
    /// Programs by room. Changes hold the lock from check to adoption, so two
    /// operators' changes apply one after the other.
    let state: LockedValue<[String: Entry]>

    /// The programs the rooms start with, checked.
    let programs: [String: RoomProgram]

    /// Reads the stored programs over the file's `documents`; a stored program
    /// that no longer checks out stops the server naming its room (exit 64).
    init(
        rooms: RoomDirectory, file documents: [String: ProgramDocument], store: (any ProgramStore)?,
        database: any TimeZoneDatabase = SystemTimeZoneDatabase(), logger: Logger
    ) throws {
        self.rooms = rooms
        self.store = store
        self.database = database
        var entries = documents.mapValues { (document: $0, source: Source.file) }
        for (room, text) in try store?.storedPrograms() ?? [:] {
            guard rooms.host(room) != nil else {
                logger.warning(
                    "a stored program names a room the rooms file no longer has; ignored",
                    metadata: ["room": "\(room)"])
                continue
            }
            guard let document = ProgramDocument(json: text) else {
                throw SettingsError.badValue("room_programs[\(room)]", expected: "a program document")
            }
            if entries[room] != nil {
                logger.notice(
                    "the room's program was changed at run time: the stored one wins over the rooms file",
                    metadata: ["room": "\(room)"])
            }
            entries[room] = (document, .store)
        }
        var checked: [String: Entry] = [:]
        for (room, entry) in entries {
            let key = entry.source == .file ? "rooms[\(room)]." : "room_programs[\(room)]."
            let program = try RoomCatalogue.program(entry.document, key: key, database: database)
            checked[room] = Entry(document: entry.document, source: entry.source, program: program)
        }
        programs = checked.mapValues(\.program)
        state = LockedValue(checked)
    }

    /// The room's program document and its source (`nil` when it has none).
    func document(of room: String) throws(ProgramChangeError) -> (document: ProgramDocument, source: Source)? {
        guard rooms.host(room) != nil else { throw .unknownRoom }
        return state.withLock { $0[room].map { ($0.document, $0.source) } }
    }

    /// Applies `edit` to the room's program: checks the result, stores it with
    /// the audit row `change`, and hands it to the running room.
    func change(
        _ room: String, _ change: ProgramChange, edit: (inout ProgramDocument) throws(ProgramChangeError) -> Void
    ) throws(ProgramChangeError) {
        guard let host = rooms.host(room) else { throw .unknownRoom }
        let result = state.withLock { entries -> Result<Void, ProgramChangeError> in
            var document = entries[room]?.document ?? ProgramDocument()
            do throws(ProgramChangeError) {
                try edit(&document)
                let program: RoomProgram
                do throws(SettingsError) {
                    program = try RoomCatalogue.program(document, key: "", database: database)
                } catch {
                    throw .invalid(change.action == .scheduleSet ? "invalid_schedule" : "invalid_roster", error)
                }
                do {
                    try store?.storeProgram(document.json, room: room, change: change)
                } catch {
                    throw ProgramChangeError(
                        status: 500, code: "store_failed", message: "the change could not be written; nothing changed")
                }
                entries[room] = Entry(document: document, source: .store, program: program)
                host.adopt(program)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        try result.get()
    }
}
