import RoomCore
import Testing

/// A member whose connection flaps (drops and resumes in a loop) costs the room and the
/// records a bounded amount: a reconnect allowance per member, a presence grace before a
/// loss is announced or written, and one roster per input.
@Suite("Reconnect churn")
struct ReconnectChurnTests {
    /// Drives `h` while keeping the room's timers, firing those that fall due.
    struct Clocked {
        var h: Harness
        var timers: [TimerID: Timestamp] = [:]
        var effects: [Effect] = []

        mutating func run(_ step: (inout Harness) -> [Effect]) {
            note(step(&h))
        }

        mutating func advance(_ duration: Duration) {
            h.advance(duration)
            for (timer, at) in timers.sorted(by: { $0.value < $1.value }) where at <= h.now {
                timers[timer] = nil
                note(h.fire(timer))
            }
        }

        mutating func note(_ new: [Effect]) {
            for effect in new {
                switch effect {
                case .scheduleTimer(let timer, let at): timers[timer] = at
                case .cancelTimer(let timer): timers[timer] = nil
                default: break
                }
            }
            effects += new
        }
    }

    /// The report: 424 drops and resumes in 5 s sent every other member 836
    /// rosters and wrote 836 attendance rows. Now: the first nine resumes are within the
    /// allowance and inside the grace (nothing to tell), the rest are refused, and the
    /// one loss that lasts is announced once.
    @Test func fourHundredFlapsInFiveSecondsAreBounded() {
        var c = Clocked(h: Harness.session(["p1", "p2"]))
        var refused = 0
        for _ in 0..<400 {
            c.advance(.milliseconds(11))
            c.run { $0.drop("p1") }
            c.advance(.milliseconds(1))
            let seen = c.h.room.currentSequence
            c.run { h in
                let effects = h.connect("p1", lastSequence: seen)
                if case .disconnect(_, _, .refused(.tooManyReconnects))? = effects.first { refused += 1 }
                return effects
            }
        }
        c.advance(.seconds(10))
        let rosters = c.effects.events(to: "p2").compactMap(\.roster)
        #expect(refused == 391, "ten at once (the join and nine resumes), then none within 5 s")
        #expect(rosters.count == 1, "one roster: p1 reconnecting, once the loss outlasted the grace")
        #expect(rosters.last?.entries.first { $0.member == "p1" }?.presence == .reconnecting)
        #expect(c.effects.attendance == [.connectionLost])
        #expect(c.effects.moderation.isEmpty)

        // Refill: one more connection every 6 s; p1 resumes for real.
        let back = c.h.connect("p1", lastSequence: c.h.room.currentSequence)
        #expect(back.attendance == [.resumed])
        #expect(back.events(to: "p2").compactMap(\.roster).count == 1)
        #expect(c.h.room.status(of: "p1")?.connected == true)
    }

    @Test func aRefusedReconnectChangesNothingForTheMemberPresent() {
        var h = Harness.session(["p1"])
        for _ in 0..<9 { h.connect("p1", lastSequence: h.room.currentSequence) }
        let present = h.connections["p1"]!
        let refused = h.room.memberConnected(
            Harness.identity("p1"), connection: ConnectionID(999), lastSequence: nil, at: h.now)
        #expect(refused == [.disconnect("p1", ConnectionID(999), .refused(.tooManyReconnects))])
        #expect(h.room.status(of: "p1")?.connected == true)
        #expect(h.send(.sendChat(text("still here")), from: "p1").acknowledgements.count == 1)
        #expect(h.connections["p1"] == present)
        h.advance(.seconds(6))
        #expect(h.connect("p1").first == .disconnect("p1", present, .replacedByNewerConnection))
    }

    @Test func aLossResumedWithinTheGraceWritesNothingAndALongerOneIsAGap() {
        var c = Clocked(h: Harness.session(["p1", "p2"]))
        for _ in 0..<20 {
            c.advance(.seconds(7))  // within the allowance: one every 6 s
            c.run { $0.drop("p1") }
            c.advance(.seconds(3))
            let seen = c.h.room.currentSequence
            c.run { $0.connect("p1", lastSequence: seen) }
        }
        #expect(c.effects.events(to: "p2").isEmpty)
        #expect(c.effects.attendance.isEmpty)

        let lostAt = c.h.now
        c.run { $0.drop("p1") }
        c.advance(.seconds(30))
        c.run { h in h.connect("p1", lastSequence: h.room.currentSequence) }
        let rows = c.effects.records.compactMap { if case .attendance(let row) = $0 { row } else { nil } }
        #expect(rows.map(\.event) == [.connectionLost, .resumed])
        #expect(rows.first?.at == lostAt, "the gap starts when the connection was lost")
        let presences = c.effects.events(to: "p2").compactMap(\.roster).map {
            $0.entries.first { $0.member == "p1" }?.presence
        }
        #expect(presences == [.reconnecting, .here])
    }

    @Test func oneRosterPerInput() {
        var h = Harness.session(["p1", "p2"])
        h.send(.openSideRoom(with: "p1"), from: "f1")
        // The facilitator leaves: their side room closes (a roster) and they depart (another).
        let leave = h.drop("f1", cause: .closedByClient)
        #expect(leave.events(to: "p2").compactMap(\.roster).count == 1)
    }
}
