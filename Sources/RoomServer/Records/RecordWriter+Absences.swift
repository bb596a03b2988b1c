import RoomCore

extension RecordWriter {
    /// Appends a facilitator's absence reason to `absence_notes` (a cleared one with a NULL reason).
    func write(_ absence: AbsenceRecord, room: String, in db: any RecordSession) throws {
        try db.execute(
            """
            INSERT INTO absence_notes (room, member, session, reason, recorded_by, at) VALUES ($1, $2, $3, $4, $5, $6)
            """, room, absence.entry.member.rawValue, absence.entry.session, absence.entry.reason?.rawValue,
            absence.recordedBy.rawValue, absence.at.millisecondsSinceEpoch)
    }
}
