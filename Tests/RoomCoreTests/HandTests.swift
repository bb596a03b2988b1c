import RoomCore
import Testing

@Suite("Hand queue and floor")
struct HandTests {
    private func positions(_ effects: [Effect], seenBy member: MemberID) -> [MemberID: Int] {
        guard let roster = effects.events(to: member).compactMap(\.roster).last else { return [:] }
        return Dictionary(
            uniqueKeysWithValues: roster.entries.compactMap { e in e.queuePosition.map { (e.member, $0) } })
    }

    @Test func handsQueueInOrderAndTheFloorGoesToTheNext() {
        var h = Harness.session(["p1", "p2", "p3"])
        h.send(.raiseHand, from: "p2")
        h.send(.raiseHand, from: "p3")
        let third = h.send(.raiseHand, from: "p1")
        #expect(positions(third, seenBy: "f1") == ["p2": 1, "p3": 2, "p1": 3])
        #expect(h.send(.raiseHand, from: "p1").deliveries.isEmpty)  // already raised: acknowledged, no change

        let given = h.send(.giveFloor(to: nil), from: "f1")
        #expect(given.events(to: "p1").compactMap(\.roster).last?.floor == "p2")
        #expect(positions(given, seenBy: "p1") == ["p3": 1, "p1": 2])
        #expect(given.moderation.map(\.action) == [.floorGiven])

        let named = h.send(.giveFloor(to: "p1"), from: "f1")
        #expect(named.events(to: "p3").compactMap(\.roster).last?.floor == "p1")
        #expect(positions(named, seenBy: "p3") == ["p3": 1])

        let lowered = h.send(.lowerHand, from: "p3")
        #expect(positions(lowered, seenBy: "f1").isEmpty)
        #expect(h.send(.giveFloor(to: nil), from: "f1").refusals == [.queueEmpty])
        let taken = h.send(.takeFloor, from: "f1")
        #expect(taken.events(to: "p2").compactMap(\.roster).last?.floor == nil)
        #expect(taken.moderation.map(\.action) == [.floorTaken])
    }

    @Test func facilitatorClearsAHandAndNamedFloorNeedsAMember() {
        var h = Harness.session(["p1"])
        h.send(.raiseHand, from: "p1")
        let cleared = h.send(.clearHand("p1"), from: "f1")
        #expect(cleared.moderation.map(\.action) == [.handCleared])
        #expect(positions(cleared, seenBy: "p1").isEmpty)
        #expect(h.send(.giveFloor(to: "ghost"), from: "f1").refusals == [.unknownMember])
        #expect(h.send(.raiseHand, from: "f1").refusals == [.notPermitted])
    }

    @Test func stepOutAndComeBackAreAttendance() {
        var h = Harness.session(["p1", "p2"])
        h.advance(.seconds(600))
        let out = h.send(.stepOut, from: "p1")
        #expect(
            out.records == [
                .attendance(AttendanceRecord(member: "p1", role: .participant, event: .steppedOut, at: h.now))
            ])
        #expect(out.events(to: "p2").compactMap(\.roster).last?.entries.first { $0.member == "p1" }?.presence == .away)
        h.advance(.seconds(300))
        let back = h.send(.comeBack, from: "p1")
        #expect(back.attendance == [.steppedBack])
        #expect(back.events(to: "f1").compactMap(\.roster).last?.entries.first { $0.member == "p1" }?.presence == .here)
    }
}
