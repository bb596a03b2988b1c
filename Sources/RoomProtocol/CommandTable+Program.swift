import RoomCore

/// The program's commands: a facilitator records why an enrolled member
/// missed a scheduled session (listed in ``CommandTable/all`` with the rest).
extension CommandTable {
    /// `member`, `session` (a session id `YYYY-MM-DDTHH:MM`), `reason` (`excused`, `unexcused`, `rescheduled`).
    static let recordAbsence = CommandDescriptor(
        "absence.record", .pair(.member("member"), .identifier("session"), checking: .asWritten), .oneOf("reason")
    ) { .recordAbsence(AbsenceEntry(member: $0.0, session: $0.1, reason: $1)) }
    /// `member`, `session`: clears the reason recorded before.
    static let clearAbsence = CommandDescriptor("absence.clear", .member("member"), .identifier("session")) {
        .clearAbsence(member: $0, session: $1)
    }

    /// The program's descriptors, in documentation order.
    static let program: [AnyCommandDescriptor] = [recordAbsence.erased, clearAbsence.erased]

    /// The wire form of a ``Command/recordAbsence(_:)``: `absence.record`, or `absence.clear` without a reason
    /// (decoded as ``Command/clearAbsence(member:session:)``).
    static func wireForm(of entry: AbsenceEntry) -> (type: String, fields: [(String, JSONValue)]) {
        guard let reason = entry.reason else { return clearAbsence.encode((entry.member, entry.session)) }
        return recordAbsence.encode(((entry.member, entry.session), reason))
    }
}

extension AbsenceRecord: WireCodable {
    /// `member`, `session`, `reason` (absent when cleared), `by`, `at`.
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("member", .id(entry.member))
        object.put("session", .string(entry.session))
        object.put("reason", entry.reason.map { .string($0.rawValue) })
        object.put("by", .id(recordedBy))
        object.put("at", .time(at))
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        let reason: AbsenceMark? =
            wire.value("reason") == nil
            ? nil
            : try wire.choice(
                "reason", Dictionary(uniqueKeysWithValues: AbsenceMark.allCases.map { ($0.rawValue, $0) }))
        self.init(
            entry: AbsenceEntry(
                member: try wire.memberID("member"), session: try wire.string("session"), reason: reason),
            recordedBy: try wire.memberID("by"), at: try wire.timestamp("at"))
    }
}
