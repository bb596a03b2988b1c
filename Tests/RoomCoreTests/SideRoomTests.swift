import RoomCore
import Testing

@Suite("Side room, back-channel and agenda")
struct SideRoomTests {
    @Test func sideRoomSeparatesOneParticipantFromTheGroup() {
        var h = Harness.session(["p1", "p2", "p3"])
        h.connect("f2")
        let open = h.send(.openSideRoom(with: "p1"), from: "f2")
        #expect(
            open.deliveries(where: { if case .sideRoomOpened = $0 { true } else { false } }).map(\.recipients)
                == [["f1", "p1", "f2"]])
        let seenByP2 = open.events(to: "p2").compactMap(\.roster).last?.entries.first { $0.member == "p1" }
        let seenByF1 = open.events(to: "f1").compactMap(\.roster).last?.entries.first { $0.member == "p1" }
        #expect(seenByP2?.presence == .away)
        #expect(seenByF1?.presence == .inSideRoom)
        #expect(open.attendance == [.enteredSideRoom])

        let group = h.send(.sendChat(text("group talk")), from: "p2")
        #expect(group.deliveries.map(\.recipients) == [["f1", "p2", "p3", "f2"]])
        let aside = h.send(.sideRoomMessage(text("I'm not ok")), from: "p1")
        #expect(aside.deliveries.map(\.recipients) == [["p1", "f2"]])
        #expect(h.send(.sideRoomMessage(text("x")), from: "p2").refusals == [.notInSideRoom])
        #expect(h.send(.sendChat(text("x")), from: "p1").refusals == [.inSideRoom])
        #expect(h.send(.raiseHand, from: "p1").refusals == [.inSideRoom])
        #expect(h.send(.openSideRoom(with: "p1"), from: "f1").refusals == [.alreadyInSideRoom])
        #expect(h.send(.openSideRoom(with: "p2"), from: "f2").refusals == [.alreadyInSideRoom])

        let close = h.send(.closeSideRoom(with: "p1"), from: "f2")
        #expect(close.events(to: "p1").compactMap(\.snapshot).count == 1)
        #expect(close.attendance == [.leftSideRoom])
        #expect(
            h.send(.sendChat(text("back")), from: "p1").deliveries.map(\.recipients) == [
                ["f1", "p1", "p2", "p3", "f2"]
            ])
        #expect(h.send(.closeSideRoom(with: "p1"), from: "f2").refusals == [.notInSideRoom])
    }

    @Test func hostLeavingBringsTheParticipantBack() {
        var h = Harness.session(["p1"])
        h.connect("f2")
        h.send(.openSideRoom(with: "p1"), from: "f2")
        let left = h.drop("f2", cause: .closedByClient)
        #expect(left.events(to: "p1").contains { if case .sideRoomClosed = $0 { true } else { false } })
        #expect(h.room.status(of: "p1")?.sideRoomHost == nil)
    }

    @Test func backChannelNeverReachesParticipants() {
        var h = Harness.session(["p1"])
        h.connect("f2")
        let note = h.send(.backChannel(text("watch P1")), from: "f1")
        #expect(note.deliveries.map(\.recipients) == [["f1", "f2"]])
        #expect(note.deliveries.first?.envelope.event.chat?.scope == .backChannel)
        #expect(h.send(.backChannel(text("x")), from: "p1").refusals == [.notPermitted])
    }

    @Test func agendaHasASharedTimerAndFacilitatorsAreToldWhenTimeIsUp() {
        var h = Harness.session(["p1"])
        let t = h.now
        let start = h.send(.startAgendaItem(index: 1), from: "f1")
        let status = AgendaStatus(index: 1, name: "Skills", startedAt: t, endsAt: t + .seconds(3600))
        #expect(start.timers == [.scheduleTimer(.agendaItem(run: 1), at: t + .seconds(3600))])
        #expect(start.events(to: "p1") == [.agenda(status)])
        h.advance(.seconds(3600))
        let up = h.fire(.agendaItem(run: 1))
        #expect(up.deliveries.map(\.recipients) == [["f1"]])
        #expect(up.events(to: "f1") == [.agendaTimeUp(status)])
        let next = h.send(.startAgendaItem(index: 3), from: "f1")
        #expect(
            next.timers == [
                .cancelTimer(.agendaItem(run: 1)), .scheduleTimer(.agendaItem(run: 2), at: h.now + .seconds(75 * 60)),
            ])
        #expect(h.fire(.agendaItem(run: 1)).isEmpty)
        #expect(h.send(.startAgendaItem(index: 9), from: "f1").refusals == [.unknownAgendaItem])
        let end = h.send(.endAgenda, from: "f1")
        #expect(end.events(to: "p1") == [.agenda(nil)])
        #expect(end.timers == [.cancelTimer(.agendaItem(run: 2))])
    }

    /// Decided (issue 18): in a side room a participant may still write privately to any
    /// facilitator (if the host is the problem, or another facilitator is the one they
    /// trust, they must reach staff), but not to another participant.
    @Test func fromASideRoomAParticipantStillReachesAnyFacilitatorPrivately() {
        var h = Harness.session(["p1", "p2"], policy: RoomPolicy(participantPrivateMessages: true))
        h.connect("f2")
        h.send(.openSideRoom(with: "p1"), from: "f2")
        let toOther = h.send(.privateMessage(to: "f1", text("can we talk")), from: "p1")
        #expect(toOther.deliveries.map(\.recipients) == [["f1", "p1"]])
        let toHost = h.send(.privateMessage(to: "f2", text("thanks")), from: "p1")
        #expect(toHost.deliveries.map(\.recipients) == [["p1", "f2"]])
        #expect(h.send(.privateMessage(to: "p2", text("x")), from: "p1").refusals == [.inSideRoom])
        #expect(h.send(.privateMessage(to: "p1", text("x")), from: "p2").refusals == [.inSideRoom])
    }
}
