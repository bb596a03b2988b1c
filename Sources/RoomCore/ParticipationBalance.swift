/// Each admitted participant's share of the session, for facilitators: counts
/// and times only, never content; in memory, gone at the session's end, never
/// in records or metrics. A small state machine the room composes; the room
/// tells it what happened, it only counts.
struct ParticipationBalance: Sendable, Equatable {
    /// One participant's counts.
    struct Tally: Sendable, Equatable {
        var alias: String
        var messages = 0
        var hands = 0
        var floor: Duration = .zero
        var answered = 0
        var passed = 0
        var away: Duration = .zero
        /// Since when they are stepped out, while they are.
        var awaySince: Timestamp?
        /// When they last posted to the group or held the floor.
        var lastHeard: Timestamp?
    }

    /// The moment "not yet heard" counts from.
    private(set) var since: Timestamp
    private(set) var tallies: [MemberID: Tally] = [:]
    /// Who has a tally, in the order they got one.
    private(set) var order: [MemberID] = []
    /// Who holds the floor, and since when (as last observed).
    private(set) var floorHolder: FloorHold?

    /// A member holding the floor since an instant.
    struct FloorHold: Sendable, Equatable {
        var member: MemberID
        var since: Timestamp
    }

    init(since: Timestamp) { self.since = since }

    /// "Not yet heard" counts from `moment` on (a facilitator's mark, an agenda item's start).
    mutating func mark(_ moment: Timestamp) { since = moment }

    private mutating func update(_ member: MemberState, _ change: (inout Tally) -> Void) {
        guard member.isParticipant else { return }
        if tallies[member.id] == nil {
            tallies[member.id] = Tally(alias: member.identity.alias)
            order.append(member.id)
        }
        change(&tallies[member.id]!)
    }

    /// A participant is admitted: they are listed from now on, even with nothing to count.
    mutating func admitted(_ member: MemberState) { update(member) { _ in } }

    mutating func postedToGroup(_ member: MemberState, at now: Timestamp) {
        update(member) {
            $0.messages += 1
            $0.lastHeard = now
        }
    }

    mutating func raisedHand(_ member: MemberState) { update(member) { $0.hands += 1 } }

    mutating func respondedToCheckIn(_ member: MemberState, answered: Bool) {
        update(member) { if answered { $0.answered += 1 } else { $0.passed += 1 } }
    }

    /// Steps out (`true`) or comes back at `now`.
    mutating func setAway(_ away: Bool, _ member: MemberState, at now: Timestamp) {
        update(member) { tally in
            if away {
                if tally.awaySince == nil { tally.awaySince = now }
            } else if let start = tally.awaySince {
                tally.away += now.duration(since: start)
                tally.awaySince = nil
            }
        }
    }

    /// The floor holder as of `now` (called after every input): closes the previous
    /// holder's time and starts the next one's.
    mutating func observeFloor(_ holder: MemberID?, at now: Timestamp) {
        guard floorHolder?.member != holder else { return }
        if let previous = floorHolder, tallies[previous.member] != nil {
            tallies[previous.member]!.floor += now.duration(since: previous.since)
            tallies[previous.member]!.lastHeard = now
        }
        floorHolder = holder.map { FloorHold(member: $0, since: now) }
        if let holder, tallies[holder] != nil { tallies[holder]!.lastHeard = now }
    }

    /// A participant left: their open away time is closed (the floor closes through
    /// ``observeFloor(_:at:)``).
    mutating func left(_ member: MemberState, at now: Timestamp) { setAway(false, member, at: now) }

    /// The report as of `now`; `present` tells whether a member is still in the room.
    func report(at now: Timestamp, present: (MemberID) -> Bool) -> BalanceReport {
        let entries = order.compactMap { id -> BalanceEntry? in
            guard let tally = tallies[id] else { return nil }
            var floor = tally.floor
            var heard = tally.lastHeard
            if let holder = floorHolder, holder.member == id {
                floor += now.duration(since: holder.since)
                heard = now
            }
            let away = tally.away + (tally.awaySince.map { now.duration(since: $0) } ?? .zero)
            return BalanceEntry(
                member: id, alias: tally.alias, present: present(id), messages: tally.messages, hands: tally.hands,
                floorSeconds: floor.components.seconds, checkInsAnswered: tally.answered,
                checkInsPassed: tally.passed, awaySeconds: away.components.seconds,
                notYetHeard: heard.map { $0 < since } ?? true)
        }
        return BalanceReport(since: since, entries: entries)
    }
}
