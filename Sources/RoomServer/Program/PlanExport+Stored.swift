import GRDB
import ProgramCore

extension PlanExport {
    /// What the records database holds for a room's plan: the absence reasons
    /// facilitators recorded in the room (the latest per member and session;
    /// a cleared one is left out), and the program the admin API last stored
    /// (`nil` when the room's program was never changed at run time).
    public struct StoredPlan: Sendable {
        /// The absence reasons, as ProgramCore's notes.
        public var absences: [AbsenceNote]
        /// The stored program document, checked (`nil`: none stored).
        public var program: RoomProgram?
    }

    /// Reads the room's stored plan from the database at `path` (read-only).
    /// A database older than the tables reads as empty.
    public static func stored(databaseAt path: String, room: String) throws -> StoredPlan {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? database.close() }
        let (rows, document) = try database.read { db in
            let rows =
                try db.tableExists("absence_notes")
                ? Row.fetchAll(
                    db, sql: "SELECT member, session, reason FROM absence_notes WHERE room = ? ORDER BY id",
                    arguments: [room]) : []
            let document =
                try db.tableExists("room_programs")
                ? String.fetchOne(db, sql: "SELECT document FROM room_programs WHERE room = ?", arguments: [room])
                : nil
            return (rows, document)
        }
        var latest: [String: AbsenceNote?] = [:]
        var order: [String] = []
        for row in rows {
            let member: String = row["member"]
            let session: String = row["session"]
            let key = member + "\u{0}" + session
            if latest[key] == nil { order.append(key) }
            let reason = (row["reason"] as String?).flatMap(AbsenceReason.init(rawValue:))
            latest[key] = .some(reason.map { AbsenceNote(member: member, occurrence: session, reason: $0) })
        }
        var program: RoomProgram?
        if let document {
            guard let parsed = ProgramDocument(json: document) else {
                throw SettingsError.badValue("room_programs[\(room)]", expected: "a program document")
            }
            program = try RoomCatalogue.program(
                parsed, key: "room_programs[\(room)].", database: SystemTimeZoneDatabase())
        }
        return StoredPlan(absences: order.compactMap { latest[$0] ?? nil }, program: program)
    }

    /// The notes to measure with: the recorded ones, then `overrides` (an
    /// `--absences` file), whose line for a member and session wins.
    public static func merged(recorded: [AbsenceNote], overrides: [AbsenceNote]) -> [AbsenceNote] {
        let overridden = Set(overrides.map { $0.member + "\u{0}" + $0.occurrence })
        return recorded.filter { !overridden.contains($0.member + "\u{0}" + $0.occurrence) } + overrides
    }
}
