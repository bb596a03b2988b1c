import ProgramCore
import RoomCore
import RoomProtocol
import SocketTransport
import WebSocketCore

/// A room host's program: its schedule (if any) and the timer of the next
/// facilitators' reminder. Confined to the host's loop like the rest of it.
struct HostProgram {
    /// The schedule; `nil` for a room without one (nothing is sent, nothing scheduled).
    var schedule: Schedule?
    /// The pending reminder.
    var reminder: LoopTimer?
}

extension RoomHost {
    /// Adopts the room's program: from now on each arrival is told the next
    /// (or current) session, and facilitators present are reminded before each
    /// scheduled end. Nothing is held back or cut off: the room still opens a
    /// session when a facilitator arrives and ends it when one ends it.
    public func adopt(_ program: RoomProgram) {
        loop.async { [self] in
            self.program.reminder?.cancel()
            self.program = HostProgram(schedule: program.schedule)
            scheduleReminder(after: ServerClock.now())
        }
    }

    /// The `schedule` message after `welcome`; nothing in a room without a schedule. On the loop.
    func sendSchedule(to connection: WebSocketConnection) {
        guard let notice = notice(at: ServerClock.now()) else { return }
        connection.send(WebSocketMessage.text(ServerMessageEncoder.schedule(notice)))
    }

    /// The session whose waiting room is open at `now`, else the next one.
    private func notice(at now: Timestamp) -> SessionSchedule? {
        guard let schedule = program.schedule else { return nil }
        let instant = Instant(millisecondsSinceEpoch: now.millisecondsSinceEpoch)
        let open = schedule.openOccurrence(at: instant)
        return SessionSchedule(
            timeZone: schedule.timeZone.identifier, waitingRoomOpen: open != nil,
            session: (open ?? schedule.nextOccurrence(after: instant)).map(Self.wire))
    }

    /// Arms a timer for the first reminder due after `now` (none once the program is over).
    private func scheduleReminder(after now: Timestamp) {
        guard let schedule = program.schedule else { return }
        let instant = Instant(millisecondsSinceEpoch: now.millisecondsSinceEpoch)
        let candidates = [schedule.openOccurrence(at: instant), schedule.nextOccurrence(after: instant)]
        guard let due = candidates.compactMap({ $0 }).first(where: { $0.remindAt > instant }) else { return }
        let delay = due.remindAt.milliseconds(since: instant)
        program.reminder = loop.schedule(after: .milliseconds(delay)) { [self] in
            let now = ServerClock.now()
            // The loop's clock is monotonic, the schedule's is the wall clock: if they drifted apart, wait again.
            guard now.millisecondsSinceEpoch + 1000 >= due.remindAt.millisecondsSinceEpoch else {
                scheduleReminder(after: now)
                return
            }
            remindFacilitators(of: due, schedule: schedule)
            scheduleReminder(after: Timestamp(millisecondsSinceEpoch: due.remindAt.millisecondsSinceEpoch))
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
        ScheduledSession(
            id: occurrence.id, opensAt: Timestamp(millisecondsSinceEpoch: occurrence.opensAt.millisecondsSinceEpoch),
            startsAt: Timestamp(millisecondsSinceEpoch: occurrence.start.millisecondsSinceEpoch),
            endsAt: Timestamp(millisecondsSinceEpoch: occurrence.end.millisecondsSinceEpoch))
    }
}
