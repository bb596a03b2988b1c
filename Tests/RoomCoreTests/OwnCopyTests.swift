import RoomCore
import Testing

/// The room marks the sender's copy of a message it posted (`Delivery.ownCopy`), so the
/// server can let that copy answer the command under `iop.v2` (docs/PROTOCOL.md, "Versions").
@Suite("The sender's own copy of a posted message")
struct OwnCopyTests {
    /// The own copies marked in `effects`.
    private func marked(_ effects: [Effect]) -> [OwnCopy] {
        effects.deliveries.compactMap(\.ownCopy)
    }

    @Test func everyCommandThatPostsAMessageMarksTheSendersCopyOnce() {
        var h = Harness.session(["p1", "p2"], policy: RoomPolicy(participantPrivateMessages: true))
        h.connect("f2")
        let posts: [(Command, MemberID)] = [
            (.sendChat(text("hello")), "p1"),
            (.messageFacilitators(text("after?")), "p1"),
            (.privateMessage(to: "p2", text("hi")), "p1"),
            (.privateMessage(to: "p1", text("ok?")), "f1"),
            (.backChannel(text("watch p1")), "f2"),
        ]
        for (command, sender) in posts {
            let id = h.nextCommandID
            let effects = h.send(command, from: sender)
            #expect(effects.first == .acknowledge(id, to: sender))
            #expect(marked(effects) == [OwnCopy(member: sender, command: id)])
            let copy = effects.deliveries.first { $0.ownCopy != nil }
            #expect(copy?.recipients.contains(sender) == true)
            #expect(copy?.envelope.event.chat?.from == sender)
        }
    }

    @Test func sideRoomMessagesAndBreakoutBroadcastsMarkTheSendersCopy() {
        var h = Harness.session(["p1", "p2"])
        h.send(.openSideRoom(with: "p1"), from: "f1")
        let id = h.nextCommandID
        #expect(marked(h.send(.sideRoomMessage(text("here")), from: "p1")) == [OwnCopy(member: "p1", command: id)])
        h.send(.closeSideRoom(with: "p1"), from: "f1")
        h.send(.startBreakout(BreakoutRequest(split: .random(count: 2, seed: 7), duration: .seconds(600))), from: "f1")
        let broadcast = h.nextCommandID
        #expect(
            marked(h.send(.broadcastToBreakouts(text("five minutes")), from: "f1")) == [
                OwnCopy(member: "f1", command: broadcast)
            ])
    }

    @Test func commandsThatPostNothingAndRefusalsMarkNothing() {
        var h = Harness.session(["p1", "p2"])
        for command: Command in [.raiseHand, .ping, .stepOut, .comeBack, .lowerHand] {
            let effects = h.send(command, from: "p1")
            #expect(effects.refusals.isEmpty)
            #expect(marked(effects).isEmpty)
        }
        h.send(.mute("p1"), from: "f1")
        let refused = h.send(.sendChat(text("am I muted?")), from: "p1")
        #expect(refused.refusals == [.muted])
        #expect(marked(refused).isEmpty)
        // Someone else's message (here another member's copy reaching p1) is never p1's answer.
        let id = h.nextCommandID
        #expect(marked(h.send(.sendChat(text("hello")), from: "p2")) == [OwnCopy(member: "p2", command: id)])
    }

    @Test func inputsOtherThanCommandsMarkNothing() {
        var h = Harness.session(["p1"])
        #expect(marked(h.connect("p2")).isEmpty)
        #expect(marked(h.fire(.presenceGrace("p9"))).isEmpty)
    }

    @Test func aResumedSendersReplayedCopyStillNamesItsCommandAndNobodyElses() {
        var h = Harness.session(["p1", "p2"])
        let seen = h.room.currentSequence
        let id = h.nextCommandID
        h.send(.sendChat(text("did this go?")), from: "p1")
        h.drop("p1")
        h.drop("p2")
        let mine = h.connect("p1", lastSequence: seen).deliveries.filter { $0.envelope.event.chat != nil }
        #expect(mine.map(\.ownCopy) == [OwnCopy(member: "p1", command: id)])
        let theirs = h.connect("p2", lastSequence: seen).deliveries.filter { $0.envelope.event.chat != nil }
        #expect(theirs.count == 1)
        #expect(theirs.first?.ownCopy == nil)
    }
}
