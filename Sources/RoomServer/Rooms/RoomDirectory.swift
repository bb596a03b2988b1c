import RoomCore
import SocketTransport

/// The rooms this server hosts now: those of the rooms file, then those
/// created at run time (`RoomRegistry`), in that order. Read by the router
/// at every upgrade, by the admin API, the drain and `/metrics`; grown only
/// by ``add(_:)``, up to ``limit`` rooms. Thread-safe (one lock).
public final class RoomDirectory: Sendable {
    /// The most rooms it holds (`rooms.maxRooms`).
    public let limit: Int
    private let state: LockedValue<(order: [RoomHost], byID: [String: RoomHost])>

    /// A directory of `rooms` (the first of a repeated id wins), holding at most `limit`.
    public init(_ rooms: [RoomHost], limit: Int = .max) {
        var byID: [String: RoomHost] = [:]
        var order: [RoomHost] = []
        for room in rooms where byID[room.id] == nil {
            byID[room.id] = room
            order.append(room)
        }
        self.limit = limit
        state = LockedValue((order, byID))
    }

    /// Every room, in order.
    public var all: [RoomHost] { state.withLock { $0.order } }

    /// The room with this id, if hosted.
    public func host(_ id: String) -> RoomHost? { state.withLock { $0.byID[id] } }

    /// Why a room could not be added.
    enum AddProblem: Error {
        /// A room has that id.
        case duplicate
        /// The directory holds ``limit`` rooms.
        case full
    }

    /// Adds `room` after the others.
    func add(_ room: RoomHost) throws(AddProblem) {
        let result = state.withLock { state -> Result<Void, AddProblem> in
            guard state.byID[room.id] == nil else { return .failure(.duplicate) }
            guard state.order.count < limit else { return .failure(.full) }
            state.byID[room.id] = room
            state.order.append(room)
            return .success(())
        }
        try result.get()
    }
}
