import Logging
import RoomCore

extension ProgramRegistry {
    /// Programs another node changed at run time (the change feed): each stored
    /// program is checked and handed to the room here, so schedules, rosters and
    /// enrolment checks agree on every node. One identical to what the room
    /// follows changes nothing (the feed re-reads every program after a
    /// reconnect); a room not hosted here, or a program that cannot be read or no
    /// longer checks out, is logged and skipped.
    func adoptStored(_ rooms: [String], logger: Logger) {
        guard let store else { return }
        for room in Set(rooms) {
            guard let host = self.rooms.host(room) else { continue }
            do {
                guard let text = try store.storedProgram(room), let document = ProgramDocument(json: text) else {
                    continue
                }
                let program = try RoomCatalogue.program(document, key: "room_programs[\(room)].", database: database)
                state.withLock { entries in
                    guard entries[room]?.document != document else { return }
                    entries[room] = Entry(document: document, source: .store, program: program)
                    host.adopt(program)
                    logger.notice("program changed on another node; adopted here", metadata: ["room": "\(room)"])
                }
            } catch {
                logger.warning("a program another node stored could not be adopted here", metadata: ["room": "\(room)"])
            }
        }
    }
}
