import Testing

@testable import RoomCore

/// The participation balance, on the fake clock: counts and times per participant, "not
/// yet heard" from a moment, to the facilitator who asks; never recorded.
@Suite("Participation balance")
struct BalanceTests {
    static func report(_ effects: [Effect], to member: MemberID = "f1") -> BalanceReport? {
        for case .balance(let report) in effects.events(to: member) { return report }
        return nil
    }

    static func entry(_ report: BalanceReport?, _ member: MemberID) -> BalanceEntry? {
        report?.entries.first { $0.member == member }
    }

    @Test func countsAndTimesPerParticipant() {
        var h = Harness.session()
        h.send(.sendChat(text("secret-a")), from: "p1")
        h.send(.sendChat(text("secret-b")), from: "p1")
        h.send(.raiseHand, from: "p2")
        h.send(.giveFloor(to: nil), from: "f1")
        h.advance(.seconds(95))
        h.send(.takeFloor, from: "f1")
        h.send(.startCheckIn(templateID: "mood", timeout: nil), from: "f1")
        h.send(.answerCheckIn(CheckInAnswer(["mood": .score(5), "word": .text(text("ok"))])), from: "p1")
        h.send(.passCheckIn, from: "p2")
        h.send(.stepOut, from: "p3")
        h.advance(.seconds(40))
        let effects = h.send(.getBalance, from: "f1")
        let report = Self.report(effects)
        #expect(report?.since == epoch)
        #expect(report?.entries.map(\.member) == ["p1", "p2", "p3"])
        #expect(
            Self.entry(report, "p1")
                == BalanceEntry(
                    member: "p1", alias: "P1", present: true, messages: 2, hands: 0, floorSeconds: 0,
                    checkInsAnswered: 1, checkInsPassed: 0, awaySeconds: 0, notYetHeard: false))
        #expect(
            Self.entry(report, "p2")
                == BalanceEntry(
                    member: "p2", alias: "P2", present: true, messages: 0, hands: 1, floorSeconds: 95,
                    checkInsAnswered: 0, checkInsPassed: 1, awaySeconds: 0, notYetHeard: false))
        #expect(Self.entry(report, "p3")?.awaySeconds == 40)
        #expect(Self.entry(report, "p3")?.notYetHeard == true)
        #expect(effects.records.isEmpty, "never recorded")
        #expect(effects.events(to: "p1").isEmpty, "facilitators only, the one who asked")
    }

    @Test func theFloorCountsWhileHeldAndAMarkResetsNotYetHeard() {
        var h = Harness.session()
        h.send(.giveFloor(to: "p1"), from: "f1")
        h.advance(.seconds(30))
        #expect(Self.entry(Self.report(h.send(.getBalance, from: "f1")), "p1")?.floorSeconds == 30)
        h.send(.takeFloor, from: "f1")
        h.send(.sendChat(text("hi")), from: "p2")
        h.advance(.seconds(10))
        let marked = Self.report(h.send(.markBalance, from: "f1"))
        #expect(marked?.since == epoch + .seconds(40))
        #expect(marked?.entries.allSatisfy(\.notYetHeard) == true)
        h.send(.sendChat(text("again")), from: "p2")
        let after = Self.report(h.send(.getBalance, from: "f1"))
        #expect(Self.entry(after, "p2")?.notYetHeard == false)
        #expect(Self.entry(after, "p1")?.notYetHeard == true)
    }

    @Test func anAgendaItemStartMovesTheMoment() {
        var h = Harness.session()
        h.send(.sendChat(text("early")), from: "p1")
        h.advance(.seconds(60))
        h.send(.startAgendaItem(index: 1), from: "f1")
        let report = Self.report(h.send(.getBalance, from: "f1"))
        #expect(report?.since == epoch + .seconds(60))
        #expect(Self.entry(report, "p1")?.notYetHeard == true)
        #expect(Self.entry(report, "p1")?.messages == 1)
    }

    @Test func aParticipantWhoLeftStaysListedAndTheEndForgetsEverything() {
        var h = Harness.session()
        h.send(.stepOut, from: "p2")
        h.advance(.seconds(20))
        h.drop("p2", cause: .closedByClient)
        h.advance(.seconds(20))
        let report = Self.report(h.send(.getBalance, from: "f1"))
        #expect(Self.entry(report, "p2")?.present == false)
        #expect(Self.entry(report, "p2")?.awaySeconds == 20)
        h.send(.endSession, from: "f1")
        #expect(h.room.balance.tallies.isEmpty)
    }
}
