extension Schedule {
    /// The sessions on local date `date`, earliest first: the weekly slots of
    /// its weekday less the cancelled and moved-away ones, plus sessions moved to it.
    public func occurrences(on date: LocalDate) -> [Occurrence] {
        guard date >= startDate, date <= endDate else { return [] }
        var result: [Occurrence] = []
        for slot in regularSlots(on: date) where !isRemoved(date: date, start: slot.start) {
            result.append(occurrence(on: date, from: slot.start, to: slot.end, movedFrom: nil))
        }
        for exception in exceptions {
            switch exception {
            case .cancelled: continue
            case .moved(let from, _, let toDate, let toStart, let toEnd) where toDate == date:
                result.append(occurrence(on: date, from: toStart, to: toEnd, movedFrom: from))
            case .moved: continue
            }
        }
        return result.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    /// The sessions that start in `[from, to)`, earliest first.
    public func occurrences(from: Instant, to: Instant) -> [Occurrence] {
        guard from < to else { return [] }
        var date = max(startDate, timeZone.date(at: from).adding(days: -1))
        let last = min(endDate, timeZone.date(at: to).adding(days: 1))
        var result: [Occurrence] = []
        while date <= last {
            result += occurrences(on: date).filter { $0.start >= from && $0.start < to }
            date = date.adding(days: 1)
        }
        return result
    }

    /// The first session that starts after `instant`, or `nil` once the program is over.
    public func nextOccurrence(after instant: Instant) -> Occurrence? {
        var date = max(startDate, timeZone.date(at: instant).adding(days: -1))
        while date <= endDate {
            if let next = occurrences(on: date).first(where: { $0.start > instant }) { return next }
            date = date.adding(days: 1)
        }
        return nil
    }

    /// The session whose waiting room is open at `instant` (from its opening until its scheduled end), if any.
    public func openOccurrence(at instant: Instant) -> Occurrence? {
        let date = timeZone.date(at: instant)
        let candidates =
            occurrences(on: date.adding(days: -1)) + occurrences(on: date) + occurrences(on: date.adding(days: 1))
        return candidates.first { $0.opensAt <= instant && instant < $0.end }
    }

    /// True when a session's waiting room is open at `instant`.
    public func isWaitingRoomOpen(at instant: Instant) -> Bool { openOccurrence(at: instant) != nil }

    /// The session whose facilitators' reminder (``Occurrence/remindAt``) comes first after `instant`, if any.
    public func nextReminder(after instant: Instant) -> Occurrence? {
        [openOccurrence(at: instant), nextOccurrence(after: instant)].compactMap { $0 }
            .first { $0.remindAt > instant }
    }

    /// What a member arriving at `instant` is told: the session whose waiting room is open,
    /// else the next one (`nil` once the program is over), and until when that answer holds
    /// (the open session's end, or the next one's opening; `nil`: for ever).
    public func arrivalNotice(at instant: Instant) -> (session: Occurrence?, open: Bool, validUntil: Instant?) {
        if let open = openOccurrence(at: instant) { return (open, true, open.end) }
        let next = nextOccurrence(after: instant)
        return (next, false, next?.opensAt)
    }

    private func isRemoved(date: LocalDate, start: LocalTime) -> Bool {
        exceptions.contains { exception in
            switch exception {
            case .cancelled(let day, let time): day == date && (time == nil || time == start)
            case .moved(let day, let time, _, _, _): day == date && time == start
            }
        }
    }

    private func occurrence(on date: LocalDate, from start: LocalTime, to end: LocalTime, movedFrom: LocalDate?)
        -> Occurrence
    {
        let begins = timeZone.instant(on: date, at: start)
        var ends = timeZone.instant(on: date, at: end)
        if ends <= begins {  // both ends inside a skipped hour: the nominal length from the shifted start
            ends = begins.adding(minutes: end.minutesAfterMidnight - start.minutesAfterMidnight)
        }
        return Occurrence(
            date: date, localStart: start, localEnd: end, start: begins, end: ends,
            opensAt: begins.adding(minutes: -waitingRoomLeadMinutes),
            remindAt: max(begins, ends.adding(minutes: -reminderBeforeEndMinutes)), movedFrom: movedFrom)
    }
}
