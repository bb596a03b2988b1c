/// Where rooms created or changed at run time are kept, with the audit of
/// every change (the `program_audit` chain). `DatabaseRecordStore` keeps them
/// in the records database's `rooms` table (SQLite or PostgreSQL).
public protocol RoomStore: Sendable {
    /// Every stored room definition as its JSON document, by room id, in the order stored (read at start-up).
    func storedRooms() throws -> [(id: String, document: String)]
    /// The stored definition of room `id` as its JSON document, if it has one (another node changed it).
    func storedRoom(_ id: String) throws -> String?
    /// Inserts or replaces the room's definition and appends `change` to the
    /// program audit, in one transaction; durable when it returns.
    func storeRoom(_ document: String, id: String, change: ProgramChange) throws
}
