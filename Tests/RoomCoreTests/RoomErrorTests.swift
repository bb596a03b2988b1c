import RoomCore
import Testing

@Suite("Error codes, time and values")
struct RoomErrorTests {
    @Test func codesAreUniqueStableSnakeCase() {
        let codes = RoomError.all.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
        #expect(RoomError.roomFull.code == "room_full")
        #expect(RoomError.notPermitted.description == "not_permitted: Your role does not allow this.")
        #expect(RoomError.all.allSatisfy { !$0.message.isEmpty })
    }

    @Test func serverTimeNeverGoesBackwards() {
        var h = Harness.session(["p1"])
        h.advance(.seconds(10))
        let later = h.now
        h.send(.sendChat(text("a")), from: "p1")
        h.now = epoch  // an input stamped earlier than the last one
        let effects = h.send(.sendChat(text("b")), from: "p1")
        #expect(effects.deliveries.first?.envelope.time == later)
    }

    @Test func sequenceNumbersIncreaseByOnePerEvent() {
        var h = Harness.session(["p1", "p2"])
        var effects = h.send(.raiseHand, from: "p1")
        effects += h.send(.sendChat(text("x")), from: "p2")
        effects += h.send(.messageFacilitators(text("y")), from: "p2")
        let sequences = effects.deliveries.map(\.envelope.sequence)
        #expect(sequences == Array(sequences[0]..<(sequences[0] + UInt64(sequences.count))))
        #expect(h.room.currentSequence == sequences.last)
    }

    @Test func timestampArithmeticIsInMilliseconds() {
        let t = Timestamp(millisecondsSinceEpoch: 1_000)
        #expect(t + .milliseconds(1500) == Timestamp(millisecondsSinceEpoch: 2_500))
        #expect((t + .seconds(2)).duration(since: t) == .seconds(2))
        #expect(Duration.microseconds(2_999).milliseconds == 2)
        #expect(Duration.seconds(-3).milliseconds == -3_000)
    }

    @Test func unknownTimersAndStrangersAreHarmless() {
        var h = Harness.session(["p1"])
        #expect(h.fire(.reconnectWindow("p1")).isEmpty)
        #expect(h.fire(.exercisePhase(run: 7, phase: 0)).isEmpty)
        #expect(h.fire(.agendaItem(run: 3)).isEmpty)
        #expect(
            h.room.memberDisconnected("nobody", connection: ConnectionID(99), cause: .connectionLost, at: h.now).isEmpty
        )
        #expect(h.send(.sendChat(text("x")), from: "nobody").refusals == [.notConnected])
    }

    @Test func roleMismatchOnReconnectIsRefused() {
        var h = Harness.session(["p1"])
        let effects = h.room.memberConnected(
            MemberIdentity(id: "p1", alias: "P1", role: .facilitator), connection: ConnectionID(50), at: h.now)
        #expect(effects == [.disconnect("p1", ConnectionID(50), .refused(.roleConflict))])
        #expect(h.room.status(of: "p1")?.connected == true, "the member present keeps their connection")
    }
}
