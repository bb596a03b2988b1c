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
}
