import Logging
import RoomCore

extension RoomRegistry {
    /// Rooms another node created or changed at run time (the change feed): each
    /// stored definition is hosted here too, so a member HAProxy sends to this node
    /// finds the room. A new room is added (within `rooms.maxRooms`); a changed
    /// one is redefined when nobody is in it here (the node that took the change
    /// refused it while another node held the room's lease); one identical to what
    /// is hosted changes nothing (the feed re-reads every room after a reconnect).
    /// What cannot be read or no longer checks out is logged and skipped.
    func adoptStored(_ ids: [String], logger: Logger) {
        guard let store else { return }
        for id in Set(ids) {
            let configuration: RoomConfiguration
            do {
                guard RoomCatalogue.isRoomID(id), let text = try store.storedRoom(id),
                    let document = RoomDocument(json: text)
                else { continue }
                configuration = try template.configuration(document.entry(id: id))
            } catch {
                logger.warning("a room another node stored could not be hosted here", metadata: ["room": "\(id)"])
                continue
            }
            adopt(configuration, logger: logger)
        }
    }

    private func adopt(_ configuration: RoomConfiguration, logger: Logger) {
        let id = configuration.definition.id
        inOrder {
            if let host = directory.host(id) {
                guard host.configuration != configuration else { return }
                guard (try? host.redefine(configuration) {}) == true else {
                    return logger.warning(
                        "a room another node changed is in use here: its old definition stays until it empties",
                        metadata: ["room": "\(id)"])
                }
                logger.notice("room changed on another node; redefined here", metadata: ["room": "\(id)"])
            } else if directory.all.count < directory.limit, (try? directory.add(makeHost(configuration))) != nil {
                logger.notice("room created on another node; hosted here too", metadata: ["room": "\(id)"])
            } else {
                logger.warning(
                    "a room created on another node is past rooms.maxRooms here", metadata: ["room": "\(id)"])
            }
        }
    }
}
