/// Why an enrolled member missed a scheduled session, as a facilitator
/// records it in the room. An enumeration only: no free text reaches a record.
public enum AbsenceMark: String, Hashable, Sendable, CaseIterable {
    /// Excused (illness, an appointment agreed in advance).
    case excused
    /// Not excused.
    case unexcused
    /// The member attends another session instead.
    case rescheduled
}

/// A facilitator's `absence.record` or `absence.clear`: a member, a scheduled
/// session (its id, `YYYY-MM-DDTHH:MM` in the clinic's time), and the reason
/// (`nil` clears the reason recorded before).
public struct AbsenceEntry: Hashable, Sendable {
    /// The enrolled member.
    public var member: MemberID
    /// The scheduled session's id.
    public var session: String
    /// The reason; `nil` clears it.
    public var reason: AbsenceMark?

    /// Creates a value from all of its fields.
    public init(member: MemberID, session: String, reason: AbsenceMark?) {
        self.member = member
        self.session = session
        self.reason = reason
    }
}

/// An absence reason as kept: the entry, who recorded it and when. Ids, an
/// enumerated reason and a time; never anything a member wrote.
public struct AbsenceRecord: Hashable, Sendable {
    /// The member, the session and the reason (`nil`: cleared).
    public var entry: AbsenceEntry
    /// The facilitator who recorded it.
    public var recordedBy: MemberID
    /// When.
    public var at: Timestamp

    /// Creates a value from all of its fields.
    public init(entry: AbsenceEntry, recordedBy: MemberID, at: Timestamp) {
        self.entry = entry
        self.recordedBy = recordedBy
        self.at = at
    }
}

/// The sessions a facilitator may record absences for, each with the members
/// enrolled and expected at it. The server computes it from the room's
/// schedule and roster (a bounded window of dates around today) and hands it
/// to the room; the room checks every `absence.record` against it.
public struct RecordableAbsences: Hashable, Sendable {
    /// Expected members by session id.
    public var expected: [String: Set<MemberID>]

    /// Creates the set; empty (the default) refuses every absence.
    public init(expected: [String: Set<MemberID>] = [:]) {
        self.expected = expected
    }
}

extension Room {
    /// Sets the sessions and members absences may be recorded for (see
    /// ``RecordableAbsences``); it carries over to the next session. No effects.
    public mutating func allowAbsences(_ absences: RecordableAbsences) {
        recordableAbsences = absences
    }

    /// The sessions and members absences may be recorded for now.
    public var absencesAllowed: RecordableAbsences { recordableAbsences }

    /// `unknown_session` unless the session is one the room may record for;
    /// `not_enrolled` unless the member is expected at it.
    func checkRecordAbsence(_ entry: AbsenceEntry) throws(RoomError) -> CommandPlan {
        guard let expected = recordableAbsences.expected[entry.session] else { throw .unknownSession }
        guard expected.contains(entry.member) else { throw .notEnrolled }
        return .recordAbsence(entry)
    }

    /// Keeps the reason (an `absence` record) and tells every facilitator present.
    mutating func recordAbsence(_ entry: AbsenceEntry, by facilitator: MemberState) {
        let record = AbsenceRecord(entry: entry, recordedBy: facilitator.id, at: now)
        outbox.append(.record(.absence(record)))
        emit(.absenceRecorded(record), to: .facilitators)
    }
}
