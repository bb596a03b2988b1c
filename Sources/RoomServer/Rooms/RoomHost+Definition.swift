import RoomCore

extension RoomHost {
    /// Replaces the room's definition (title, kind, capacity, policy) with
    /// `configuration` if nobody is in the room, after `commit` succeeds (the
    /// change is stored first: nothing changes when it throws). Returns false,
    /// changing nothing, when someone is present or reconnecting: a session
    /// never changes its rules under its members. Blocks until done, on the loop.
    func redefine(_ configuration: RoomConfiguration, commit: () throws -> Void) throws -> Bool {
        let outcome = loop.sync { () -> Result<Bool, any Error> in
            guard room.memberIDs.isEmpty else { return .success(false) }
            do { try commit() } catch { return .failure(error) }
            startAfresh(configuration)
            definition.withLock { $0 = configuration }
            return .success(true)
        }
        return try outcome.get()
    }
}
