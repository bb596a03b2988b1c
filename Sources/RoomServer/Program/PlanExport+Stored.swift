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

    /// Reads the room's stored plan from the records at `location`, opened for
    /// reading (fine while `iopd` writes to it). A database older than the
    /// tables reads as empty.
    public static func stored(from location: RecordsLocation, room: String) throws -> StoredPlan {
        let database = try location.openForReading()
        defer { try? database.close() }
        return try database.transaction { try stored($0, room: room) }
    }

    /// The same, in an open session.
    static func stored(_ session: any RecordSession, room: String) throws -> StoredPlan {
        let rows =
            try hasTable("absence_notes", in: session)
            ? session.query("SELECT member, session, reason FROM absence_notes WHERE room = $1 ORDER BY id", room) : []
        let document =
            try hasTable("room_programs", in: session)
            ? session.scalar("SELECT document FROM room_programs WHERE room = $1", room).text : nil
        var latest: [String: AbsenceNote?] = [:]
        var order: [String] = []
        for row in rows {
            let member = try row.text("member")
            let occurrence = try row.text("session")
            let key = member + "\u{0}" + occurrence
            if latest[key] == nil { order.append(key) }
            let reason = row["reason"].text.flatMap(AbsenceReason.init(rawValue:))
            latest[key] = .some(reason.map { AbsenceNote(member: member, occurrence: occurrence, reason: $0) })
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

    /// Whether the records' schema has table `name` (a database from before its migration has not).
    private static func hasTable(_ name: String, in session: any RecordSession) throws -> Bool {
        (try session.scalar(session.dialect.tableCountSQL, name).integer ?? 0) > 0
    }

    /// The notes to measure with: the recorded ones, then `overrides` (an
    /// `--absences` file), whose line for a member and session wins.
    public static func merged(recorded: [AbsenceNote], overrides: [AbsenceNote]) -> [AbsenceNote] {
        let overridden = Set(overrides.map { $0.member + "\u{0}" + $0.occurrence })
        return recorded.filter { !overridden.contains($0.member + "\u{0}" + $0.occurrence) } + overrides
    }
}
