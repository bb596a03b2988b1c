import ProgramCore
import RoomCore
import RoomProtocol
import SocketTransport
import WebSocketCore

/// A room host's program: its schedule (if any), the `schedule` message of
/// the moment (encoded once, kept until it changes) and the timer of the next
/// facilitators' reminder. Confined to the host's loop like the rest of it.
struct HostProgram {
    /// The schedule; `nil` for a room without one (nothing is sent, nothing scheduled).
    var schedule: Schedule?
    /// The encoded `schedule` message and until when it holds (`nil`: for ever).
    var notice: (text: String, validUntil: Instant?)?
    /// The pending reminder.
    var reminder: LoopTimer?
    /// Who is enrolled, for `autoAdmitEnrolled`.
    var roster: ProgramCore.Roster?
    /// Let expected members in on arrival (`policy.autoAdmitEnrolled`).
    var autoAdmitEnrolled = false
    /// Until when the room's admit-on-arrival set holds (`nil`: for ever, once known).
    var admissionsValidUntil: Instant?
    /// Whether the set was computed at all.
    var admissionsKnown = false
    /// The clinic's date the room's recordable absences were computed for (`nil`: not yet).
    var absencesDate: LocalDate?
    /// The last `expected` list sent to facilitators.
    var expected: ExpectedMembers?
    /// The wall clock the program is read with: the host's, or a test's.
    var clock = ServerClock.system

    /// Now, as ProgramCore's instant.
    var now: Instant { Instant(millisecondsSinceEpoch: clock.now().millisecondsSinceEpoch) }
}

extension RoomHost {
    /// Adopts the room's program: from now on each arrival is told the next
    /// (or current) session, and facilitators present are reminded before each
    /// scheduled end. Nothing is held back or cut off: the room still opens a
    /// session when a facilitator arrives and ends it when one ends it.
    public func adopt(_ program: RoomProgram) { adopt(program, clock: clock) }

    /// Adopts `program`, reading the time from `clock` (tests run a reminder without waiting for it).
    func adopt(_ program: RoomProgram, clock: ServerClock) {
        loop.async { [self] in
            self.program.reminder?.cancel()
            self.program = HostProgram(
                schedule: program.schedule, roster: program.roster, autoAdmitEnrolled: program.autoAdmitEnrolled)
            self.program.clock = clock
            scheduleReminder(after: self.program.now)
        }
    }

    /// The `schedule` message after `welcome`; nothing in a room without a schedule. On the loop.
    func sendSchedule(to connection: WebSocketConnection) {
        guard let schedule = program.schedule else { return }
        let now = program.now
        if let notice = program.notice, notice.validUntil.map({ now < $0 }) ?? true {
            connection.send(WebSocketMessage.text(notice.text))
            return
        }
        let answer = schedule.arrivalNotice(at: now)
        let agenda = configuration.agenda.map {
            ScheduledAgendaItem(title: $0.name, durationMs: Int64($0.plannedDuration.components.seconds * 1000))
        }
        let text = ServerMessageEncoder.schedule(
            SessionSchedule(
                timeZone: schedule.timeZone.identifier, waitingRoomOpen: answer.open,
                session: answer.session.map(Self.wire), agenda: agenda))
        program.notice = (text, answer.validUntil)
        connection.send(WebSocketMessage.text(text))
    }

    /// Tells the room whom to let in on accepting the agreement: with
    /// `autoAdmitEnrolled`, the enrolled members expected at the session whose
    /// waiting room is open; no one between sessions (early arrivals wait, as
    /// do arrivals during an overrun). Recomputed only when the answer can
    /// change (an opening or a scheduled end), so a command costs a comparison. On the loop.
    func refreshAdmissions() {
        guard program.autoAdmitEnrolled, let schedule = program.schedule, let roster = program.roster else { return }
        let now = program.now
        if program.admissionsKnown, program.admissionsValidUntil.map({ now < $0 }) ?? true { return }
        let answer = schedule.arrivalNotice(at: now)
        var expected = Set<MemberID>()
        if answer.open, let session = answer.session {
            for member in roster.expected(at: session) { expected.insert(MemberID(member)) }
        }
        room.admitOnArrival(expected)
        program.admissionsValidUntil = answer.validUntil
        program.admissionsKnown = true
    }

    /// Tells the room which sessions and members a facilitator may record
    /// absence reasons for (``Schedule/absenceWindow(roster:at:)``); none in a
    /// room without a schedule and a roster. Recomputed once per clinic day
    /// (and after a program change), only when an `absence.*` command arrives. On the loop.
    func refreshAbsences() {
        guard let schedule = program.schedule, let roster = program.roster else {
            room.allowAbsences(RecordableAbsences())
            return
        }
        let now = program.now
        let today = schedule.timeZone.date(at: now)
        guard program.absencesDate != today else { return }
        let window = schedule.absenceWindow(roster: roster, at: now)
        let expected = window.mapValues { members in Set(members.map { MemberID($0) }) }
        room.allowAbsences(RecordableAbsences(expected: expected))
        program.absencesDate = today
    }

    /// Arms a timer for the first reminder due after `now` (none once the program is over).
    private func scheduleReminder(after now: Instant) {
        guard let schedule = program.schedule, let due = schedule.nextReminder(after: now) else { return }
        let delay = due.remindAt.milliseconds(since: now)
        program.reminder = loop.schedule(after: .milliseconds(delay)) { [self] in
            let now = program.now
            // The loop's clock is monotonic, the schedule's is the wall clock: if they drifted apart, wait again.
            guard now.adding(minutes: 1) > due.remindAt else { return scheduleReminder(after: now) }
            remindFacilitators(of: due, schedule: schedule)
            scheduleReminder(after: max(now, due.remindAt))
        }
    }

    /// `session_reminder` to every facilitator connected now.
    private func remindFacilitators(of occurrence: Occurrence, schedule: Schedule) {
        let notice = SessionSchedule(
            timeZone: schedule.timeZone.identifier, waitingRoomOpen: true, session: Self.wire(occurrence))
        let text = ServerMessageEncoder.sessionReminder(notice)
        for member in room.memberIDs {
            guard let status = room.status(of: member), status.identity.role == .facilitator, status.connected
            else { continue }
            send(text, to: member)
        }
    }

    private static func wire(_ occurrence: Occurrence) -> ScheduledSession {
        func time(_ instant: Instant) -> Timestamp { Timestamp(millisecondsSinceEpoch: instant.millisecondsSinceEpoch) }
        return ScheduledSession(
            id: occurrence.id, opensAt: time(occurrence.opensAt), startsAt: time(occurrence.start),
            endsAt: time(occurrence.end))
    }
}

extension RoomHost {
    /// Sends `expected` to facilitators when the list of expected members (at
    /// the session whose waiting room is open) or who of them is here changed,
    /// and to `newcomer` (a facilitator who just arrived) in any case. A room
    /// without a schedule and a roster sends nothing. On the loop.
    func updateExpected(newcomer: MemberID? = nil) {
        guard let schedule = program.schedule, let roster = program.roster else { return }
        let now = program.now
        guard let session = schedule.openOccurrence(at: now) else { return }
        let list = ExpectedMembers(
            session: session.id,
            members: roster.expected(at: session).map {
                ExpectedMember(member: MemberID($0), present: room.status(of: MemberID($0)) != nil)
            })
        let changed = list != program.expected
        program.expected = list
        let text = ServerMessageEncoder.expected(list)
        for member in room.memberIDs {
            guard let status = room.status(of: member), status.identity.role == .facilitator, status.connected,
                changed || member == newcomer
            else { continue }
            send(text, to: member)
        }
    }
}

extension Command {
    /// `absence.record` or `absence.clear`: the room needs its recordable absences first.
    var isAbsenceCommand: Bool {
        if case .recordAbsence = self { return true }
        if case .clearAbsence = self { return true }
        return false
    }
}
