extension AttendancePlan {
    /// One member at one session: their stays inside `[opensAt, until)` measured against the scheduled hours.
    static func outcome(
        member: String, at occurrence: Occurrence, until windowEnd: Instant, stays: [Stay], reason: AbsenceReason?,
        rules: PlanRules
    ) -> SessionOutcome {
        let inside = Stay.merged(stays.compactMap { $0.clipped(from: occurrence.opensAt, to: windowEnd) })
        let attended = inside.reduce(Int64(0)) { $0 + $1.end.milliseconds(since: $1.start) }
        let attendedMinutes = Int(attended / 60_000)
        guard let first = inside.first, let last = inside.last, attendedMinutes >= rules.presentMinimumMinutes
        else {
            return SessionOutcome(
                member: member, occurrence: occurrence, status: .absent(reason), firstJoined: inside.first?.start,
                lastLeft: inside.last?.end, attendedMinutes: attendedMinutes, lateMinutes: 0, earlyLeaveMinutes: 0,
                awayMinutes: 0)
        }
        var away: Int64 = 0
        for (before, after) in zip(inside, inside.dropFirst()) {
            let from = max(before.end, occurrence.start)
            if after.start > from { away += after.start.milliseconds(since: from) }
        }
        return SessionOutcome(
            member: member, occurrence: occurrence, status: .attended, firstJoined: first.start, lastLeft: last.end,
            attendedMinutes: attendedMinutes,
            lateMinutes: beyondGrace(first.start.milliseconds(since: occurrence.start), rules.lateGraceMinutes),
            earlyLeaveMinutes: beyondGrace(occurrence.end.milliseconds(since: last.end), rules.earlyLeaveGraceMinutes),
            awayMinutes: Int(away / 60_000))
    }

    /// Whole minutes of `milliseconds` when they exceed `grace` minutes; 0 otherwise.
    private static func beyondGrace(_ milliseconds: Int64, _ grace: Int) -> Int {
        milliseconds > Int64(grace) * 60_000 ? Int(milliseconds / 60_000) : 0
    }
}
