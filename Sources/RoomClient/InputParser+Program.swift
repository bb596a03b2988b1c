import RoomCore

extension InputParser {
    /// `/absent MEMBER-ID excused|unexcused|rescheduled|clear [SESSION]`: a
    /// facilitator records (or clears) why an enrolled member missed a session.
    /// The member is an id, as the `expected` line shows it; the session defaults
    /// to the one in that line (the session whose waiting room is open).
    static func absence(_ rest: String, in model: RoomViewModel) -> ParsedInput {
        let usage = ParsedInput.invalid(
            "Usage: /absent MEMBER-ID excused|unexcused|rescheduled|clear [SESSION], e.g. /absent m-2051 excused")
        let words = rest.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard (2...3).contains(words.count) else { return usage }
        let reason: AbsenceMark?
        if words[1].lowercased() == "clear" {
            reason = nil
        } else {
            guard let mark = AbsenceMark(rawValue: words[1].lowercased()) else { return usage }
            reason = mark
        }
        guard let session = words.count == 3 ? words[2] : model.expected?.session else {
            return .invalid("No session is open: name it, e.g. /absent m-2051 excused 2026-03-09T18:00")
        }
        let member = MemberID(words[0])
        guard let reason else { return .command(.clearAbsence(member: member, session: session)) }
        return .command(.recordAbsence(AbsenceEntry(member: member, session: session, reason: reason)))
    }
}
