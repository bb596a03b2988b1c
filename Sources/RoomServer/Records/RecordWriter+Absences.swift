import GRDB
import RoomCore

extension RecordWriter {
    /// Appends a facilitator's absence reason to `absence_notes` (a cleared one with a NULL reason).
    func write(_ absence: AbsenceRecord, room: String, in db: Database) throws {
        try db.executeCached(
            sql: "INSERT INTO absence_notes (room, member, session, reason, recorded_by, at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                room, absence.entry.member.rawValue, absence.entry.session, absence.entry.reason?.rawValue,
                absence.recordedBy.rawValue, absence.at.millisecondsSinceEpoch,
            ])
    }
}
