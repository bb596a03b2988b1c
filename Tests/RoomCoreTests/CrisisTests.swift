import RoomCore
import Testing

@Suite("Crisis alerts")
struct CrisisTests {
    @Test func alertReachesEveryFacilitatorPrivatelyUntilAcknowledged() {
        var h = Harness.session(["p1", "p2"])
        h.connect("f2")
        let t = h.now
        let alert = h.send(.crisisAlert, from: "p1")
        let info = CrisisAlertInfo(id: AlertID(1), member: "p1", alias: "P1", raisedAt: t)
        #expect(alert.deliveries.map(\.recipients) == [["f1", "f2"], ["p1"]])
        #expect(alert.events(to: "f2") == [.crisisAlertRaised(info)])
        #expect(alert.events(to: "p1") == [.crisisAlertReceived(alert: AlertID(1), facilitatorsNotified: 2)])
        #expect(alert.events(to: "p2").isEmpty)
        #expect(alert.moderation.map(\.action) == [.crisisAlertRaised])

        h.advance(.seconds(20))
        let ack = h.send(.acknowledgeCrisis(AlertID(1)), from: "f2")
        let acknowledgement = CrisisAcknowledgement(id: AlertID(1), member: "p1", by: "f2", byAlias: "F2", at: h.now)
        #expect(ack.deliveries.map(\.recipients) == [["f1", "p1", "f2"]])
        #expect(ack.events(to: "p1") == [.crisisAlertAcknowledged(acknowledgement)])
        #expect(ack.events(to: "p2").isEmpty)
        #expect(h.send(.acknowledgeCrisis(AlertID(1)), from: "f1").refusals == [.alreadyAcknowledged])
        #expect(h.send(.acknowledgeCrisis(AlertID(9)), from: "f1").refusals == [.unknownAlert])
        #expect(h.send(.acknowledgeCrisis(AlertID(1)), from: "p2").refusals == [.notPermitted])
    }

    @Test func alertWorksWhenMutedWaitingOrBeforeTheAgreement() {
        var h = Harness.session(["p1"])
        h.send(.mute("p1"), from: "f1")
        h.send(.pauseChat, from: "f1")
        #expect(h.send(.crisisAlert, from: "p1").refusals.isEmpty)
        h.connect("p2")
        let early = h.send(.crisisAlert, from: "p2")
        #expect(early.events(to: "p2") == [.crisisAlertReceived(alert: AlertID(2), facilitatorsNotified: 1)])
        #expect(early.events(to: "f1").count == 1)
        #expect(h.send(.crisisAlert, from: "f1").refusals == [.notPermitted])
    }

    @Test func alertWithNoFacilitatorPresentWaitsForOne() {
        var h = Harness.session(["p1"])
        h.drop("f1", cause: .closedByClient)
        let alert = h.send(.crisisAlert, from: "p1")
        #expect(alert.events(to: "p1") == [.crisisAlertReceived(alert: AlertID(1), facilitatorsNotified: 0)])
        let arrival = h.connect("f2")
        #expect(arrival.events(to: "f2").compactMap(\.snapshot).first?.openAlerts.map(\.id) == [AlertID(1)])
    }

    @Test func aRepeatRefreshesTheOpenAlertInsteadOfBuryingIt() {
        var h = Harness.session(["p1", "p2"])
        let first = h.now
        h.send(.crisisAlert, from: "p1")
        var toFacilitators: [RoomEvent] = []
        var audits: [ModerationRecord] = []
        // Five a second for a minute: one alert, counted, a notice at most every 10 s.
        for _ in 0..<300 {
            h.advance(.milliseconds(200))
            let effects = h.send(.crisisAlert, from: "p1")
            #expect(effects.refusals.isEmpty)
            #expect(effects.events(to: "p1") == [.crisisAlertReceived(alert: AlertID(1), facilitatorsNotified: 1)])
            toFacilitators += effects.events(to: "f1")
            audits += effects.moderation
        }
        #expect(audits.isEmpty, "no audit row per repeat")
        #expect(toFacilitators.count == 6, "one refreshed notice every 10 s")
        let refreshed = CrisisAlertInfo(
            id: AlertID(1), member: "p1", alias: "P1", raisedAt: first, repeats: 300, lastRaisedAt: h.now)
        #expect(toFacilitators.last == .crisisAlertRaised(refreshed))
        let late = h.connect("f2")
        #expect(late.events(to: "f2").compactMap(\.snapshot).first?.openAlerts == [refreshed])

        // Another participant's alert is its own, full alert at once.
        let other = h.send(.crisisAlert, from: "p2")
        #expect(other.events(to: "f1").count == 1)
        #expect(other.moderation.map(\.alert) == [AlertID(2)])

        // After an acknowledgement, the next alert is a new, full one.
        h.send(.acknowledgeCrisis(AlertID(1)), from: "f1")
        h.advance(.seconds(1))
        let again = h.send(.crisisAlert, from: "p1")
        let info = CrisisAlertInfo(id: AlertID(3), member: "p1", alias: "P1", raisedAt: h.now)
        #expect(again.events(to: "f1") == [.crisisAlertRaised(info)])
        #expect(again.events(to: "f2") == [.crisisAlertRaised(info)])
        #expect(again.moderation.map(\.action) == [.crisisAlertRaised])
    }

    @Test func facilitatorsCanActOnSomeoneWhoNeverAcceptedTheAgreement() {
        var h = Harness.session(["p1"])
        h.connect("p2")
        h.connect("p3")
        h.send(.crisisAlert, from: "p2")
        let mute = h.send(.mute("p2"), from: "f1")
        #expect(mute.refusals.isEmpty)
        #expect(mute.moderation.map(\.action) == [.muted])
        #expect(mute.events(to: "p1").isEmpty, "the group sees nothing of someone not admitted")
        let decline = h.send(.decline("p2"), from: "f1")
        #expect(decline.refusals.isEmpty)
        #expect(decline.disconnects == [.disconnect("p2", h.connections["p2"]!, .declined)])
        #expect(h.room.isBanned("p2"))
        #expect(h.send(.decline("p1"), from: "f1").refusals == [.notWaiting])

        // Muted before admission, muted once admitted.
        h.send(.mute("p3"), from: "f1")
        h.send(.acceptAgreement(version: GroupAgreement.sample.version), from: "p3")
        h.send(.admit("p3"), from: "f1")
        #expect(h.room.status(of: "p3")?.muted == true)
        #expect(h.send(.sendChat(text("hello")), from: "p3").refusals == [.muted])
    }
}
