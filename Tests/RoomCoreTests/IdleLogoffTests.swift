import RoomCore
import Testing

/// Automatic log-off of an unattended device, with a fake clock advanced by exact amounts.
@Suite("Idle log-off")
struct IdleLogoffTests {
    static let policy: RoomPolicy = {
        var policy = RoomPolicy()
        policy.idleLogoff = IdleLogoff(after: .seconds(30 * 60), warningBefore: .seconds(120))
        return policy
    }()

    static func idleTimers(_ effects: [Effect]) -> [Effect] {
        effects.timers.filter {
            switch $0 {
            case .scheduleTimer(.idleCheck, _), .cancelTimer(.idleCheck): true
            default: false
            }
        }
    }

    @Test func offByDefault() {
        var h = Harness.session([])
        let join = h.join("p1")
        #expect(Self.idleTimers(join).isEmpty)
        h.advance(.seconds(10 * 3600))
        #expect(h.fire(.idleCheck("p1")).isEmpty)
        #expect(h.room.status(of: "p1")?.connected == true)
    }

    @Test func warnedThenLoggedOffAndFreeToComeBack() {
        var h = Harness.session([], policy: Self.policy)
        let start = h.now
        let join = h.join("p1")
        #expect(Self.idleTimers(join) == [.scheduleTimer(.idleCheck("p1"), at: start + .seconds(28 * 60))])
        h.advance(.seconds(28 * 60))
        let warning = h.fire(.idleCheck("p1"))
        #expect(warning.deliveries.map(\.recipients) == [["p1"]])
        #expect(warning.events(to: "p1") == [.idleWarning(logoffAt: start + .seconds(30 * 60))])
        #expect(warning.timers == [.scheduleTimer(.idleCheck("p1"), at: start + .seconds(30 * 60))])
        h.advance(.seconds(120))
        let connection = h.connections["p1"]!
        let logoff = h.fire(.idleCheck("p1"))
        #expect(logoff.disconnects == [.disconnect("p1", connection, .idleLoggedOff)])
        #expect(logoff.attendance == [.left(.idleLoggedOff)])
        #expect(logoff.events(to: "f1").compactMap(\.roster).last?.entries.map(\.member) == ["f1"])
        #expect(h.room.status(of: "p1") == nil && !h.room.isBanned("p1"))
        // A fresh connection (the token still valid) goes to the waiting room; the agreement stands.
        #expect(h.connect("p1").events(to: "p1") == [.waitingForAdmission])
    }

    @Test func automaticPingsDoNotKeepAnUnattendedDeviceLoggedIn() {
        var h = Harness.session([], policy: Self.policy)
        let start = h.now
        h.join("p1")
        for _ in 0..<(28 * 6) {  // a client pinging every 10 s, for 28 minutes
            h.advance(.seconds(10))
            #expect(h.send(.ping, from: "p1").count == 1, "only the acknowledgement")
        }
        let warning = h.fire(.idleCheck("p1"))
        #expect(warning.events(to: "p1") == [.idleWarning(logoffAt: start + .seconds(30 * 60))])
    }

    @Test func anyCommandMovesTheCheckWithoutTouchingTimers() {
        var h = Harness.session([], policy: Self.policy)
        let start = h.now
        h.join("p1")
        h.advance(.seconds(20 * 60))
        #expect(Self.idleTimers(h.send(.raiseHand, from: "p1")).isEmpty)
        h.advance(.seconds(8 * 60))
        let early = h.fire(.idleCheck("p1"))
        #expect(early == [.scheduleTimer(.idleCheck("p1"), at: start + .seconds(48 * 60))])
    }

    @Test func aCommandAfterTheWarningKeepsTheMemberAndTheNextWarningComesAgain() {
        var h = Harness.session([], policy: Self.policy)
        let start = h.now
        h.join("p1")
        h.advance(.seconds(28 * 60))
        h.fire(.idleCheck("p1"))
        h.advance(.seconds(60))
        h.send(.comeBack, from: "p1")  // "/back": harmless when not away
        h.advance(.seconds(60))
        let kept = h.fire(.idleCheck("p1"))
        #expect(kept == [.scheduleTimer(.idleCheck("p1"), at: start + .seconds(57 * 60))])
        h.advance(.seconds(27 * 60))
        let again = h.fire(.idleCheck("p1"))
        #expect(again.events(to: "p1") == [.idleWarning(logoffAt: start + .seconds(59 * 60))])
    }

    @Test func aReconnectingMemberIsLeftToTheReconnectWindowAndAResumeRestartsTheWatch() {
        var h = Harness.session([], policy: Self.policy)
        h.join("p1")
        h.advance(.seconds(10 * 60))
        h.drop("p1")
        h.advance(.seconds(18 * 60))
        #expect(h.fire(.idleCheck("p1")).isEmpty)
        h.advance(.seconds(60))
        let back = h.connect("p1", lastSequence: h.room.currentSequence)
        #expect(Self.idleTimers(back) == [.scheduleTimer(.idleCheck("p1"), at: h.now + .seconds(28 * 60))])
    }

    @Test func facilitatorsAreWatchedAndTheWaitingRoomIsNot() {
        var h = Harness(policy: Self.policy)
        #expect(Self.idleTimers(h.connect("f1")) == [.scheduleTimer(.idleCheck("f1"), at: h.now + .seconds(28 * 60))])
        let waiting = h.connect("p9") + h.send(.acceptAgreement(version: GroupAgreement.sample.version), from: "p9")
        #expect(Self.idleTimers(waiting).isEmpty)
        h.advance(.seconds(3600))
        #expect(h.fire(.idleCheck("p9")).isEmpty)
        #expect(h.room.status(of: "p9")?.stage == .waiting)
    }

    @Test func leavingCancelsTheCheck() {
        var h = Harness.session([], policy: Self.policy)
        h.join("p1")
        let gone = h.drop("p1", cause: .closedByClient)
        #expect(Self.idleTimers(gone) == [.cancelTimer(.idleCheck("p1"))])
    }
}
