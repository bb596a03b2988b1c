import Foundation
import ProgramCore
import RoomCore

/// Invitations: a participant's token for a whole enrolment (`kind:
/// invitation`), valid from the enrolment date to the discharge date (at most
/// `auth.maxInvitationLifetimeDays`), and accepted at every upgrade only while
/// the room's roster has the member enrolled on that day (in the clinic's
/// time zone; UTC for a room without a schedule).
extension ProgramRegistry {
    /// Whether the room's roster has `member` enrolled and not discharged on the clinic's date at `now`.
    func isEnrolled(_ member: String, in room: String, at now: Date) -> Bool {
        state.withLock { entries in
            guard let program = entries[room]?.program, let enrolment = program.roster?.enrolment(of: member) else {
                return false
            }
            return enrolment.isExpected(on: Self.clinicDate(at: now, program: program))
        }
    }

    /// The claims of a new invitation for `member` of `room`, issued at `now`;
    /// refused when the member is not on the roster or already discharged.
    func invitationClaims(
        room: String, member: String, alias: String, now: Date, maximum: TimeInterval
    ) throws(ProgramChangeError) -> TokenClaims {
        guard rooms.host(room) != nil else { throw .unknownRoom }
        let found = state.withLock { entries in
            entries[room].flatMap { entry in entry.program.roster?.enrolment(of: member).map { (entry.program, $0) } }
        }
        guard let (program, enrolment) = found else {
            throw ProgramChangeError(status: 404, code: "not_enrolled", message: "\(member) is not on the roster")
        }
        let today = Self.clinicDate(at: now, program: program)
        if let discharged = enrolment.discharged, discharged <= today {
            throw ProgramChangeError(
                status: 409, code: "already_discharged", message: "\(member) was discharged on \(discharged)")
        }
        let latest = now.addingTimeInterval(maximum)
        let opens = Self.startOfDay(enrolment.enrolled, program: program)
        let closes = enrolment.discharged.map { Self.startOfDay($0, program: program) }
        return TokenClaims(
            member: member, alias: alias, role: Role.participant.rawValue, room: room,
            expires: min(closes ?? latest, latest), tokenID: UUID().uuidString.lowercased(), issued: now,
            notBefore: opens > now ? opens : nil, kind: TokenClaims.invitationKind)
    }

    /// The clinic's calendar date at `now`: in the schedule's time zone, or UTC.
    static func clinicDate(at now: Date, program: RoomProgram) -> LocalDate {
        let milliseconds = Int64((now.timeIntervalSince1970 * 1000).rounded(.down))
        if let zone = program.schedule?.timeZone {
            return zone.date(at: Instant(millisecondsSinceEpoch: milliseconds))
        }
        return LocalDate(daysSinceEpoch: Int((Double(milliseconds) / 86_400_000).rounded(.down)))
    }

    /// Midnight starting `date` in the clinic's time zone (or UTC).
    static func startOfDay(_ date: LocalDate, program: RoomProgram) -> Date {
        let milliseconds: Int64
        if let zone = program.schedule?.timeZone, let midnight = LocalTime(hour: 0, minute: 0) {
            milliseconds = zone.instant(on: date, at: midnight).millisecondsSinceEpoch
        } else {
            milliseconds = Int64(date.daysSinceEpoch) * 86_400_000
        }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
