import Testing

@testable import RoomCore

/// Reactions to group messages and the members' cues: who sees what under each policy,
/// one of each kind per member per message, bounded by the history, cleared on leaving
/// and at the end.
@Suite("Reactions and cues")
struct ReactionCueTests {
    static func session(reactions: ReactionVisibility = .counts, cues: CueVisibility = .facilitatorsOnly) -> Harness {
        var policy = RoomPolicy()
        policy.reactions = reactions
        policy.cues = cues
        var h = Harness.session(policy: policy)
        h.send(.sendChat(text("secret-share")), from: "p1")
        return h
    }

    @Test func theGroupSeesCountsWithoutNamesByDefault() {
        var h = Self.session()
        h.send(.react(MessageID(1), .meToo), from: "p2")
        let second = h.send(.react(MessageID(1), .meToo), from: "p3")
        let tally = ReactionTally(message: MessageID(1), counts: [ReactionCount(kind: .meToo, count: 2, aliases: [])])
        for member: MemberID in ["f1", "p1", "p2", "p3"] { #expect(second.events(to: member) == [.reactions(tally)]) }
        let repeated = h.send(.react(MessageID(1), .meToo), from: "p3")
        #expect(repeated.acknowledgements.count == 1 && repeated.deliveries.isEmpty, "one of each kind per member")
        let taken = h.send(.unreact(MessageID(1), .meToo), from: "p2")
        #expect(
            taken.events(to: "p1")
                == [
                    .reactions(
                        ReactionTally(
                            message: MessageID(1), counts: [ReactionCount(kind: .meToo, count: 1, aliases: [])]))
                ])
    }

    @Test func aNamedPolicyNamesTheReactorsAndOffRefuses() {
        var named = Self.session(reactions: .named)
        named.send(.react(MessageID(1), .support), from: "p2")
        let effects = named.send(.react(MessageID(1), .support), from: "f1")
        #expect(
            effects.events(to: "p1")
                == [
                    .reactions(
                        ReactionTally(
                            message: MessageID(1),
                            counts: [ReactionCount(kind: .support, count: 2, aliases: ["P2", "F1"])]))
                ])
        var off = Self.session(reactions: .off)
        #expect(off.send(.react(MessageID(1), .support), from: "p2").refusals == [.reactionsOff])
    }

    @Test func onlyGroupMessagesTheSenderReceivedAndStillKept() {
        var h = Self.session()
        h.send(.messageFacilitators(text("secret-private")), from: "p2")
        #expect(
            h.send(.react(MessageID(2), .thankYou), from: "p3").refusals == [.unknownMessage], "not a group message")
        #expect(h.send(.react(MessageID(9), .thankYou), from: "p3").refusals == [.unknownMessage])
        h.join("p4")
        #expect(h.send(.react(MessageID(1), .thankYou), from: "p4").refusals == [.unknownMessage], "never received")
        h.send(.react(MessageID(1), .thankYou), from: "p3")
        h.send(.redactMessage(MessageID(1)), from: "f1")
        #expect(h.room.reactions.byMessage.isEmpty, "a withdrawn message's reactions go with it")
    }

    @Test func reactionsLeaveWithTheHistory() {
        var policy = RoomPolicy(replayBufferCapacity: 2, messageHistoryLimit: 2)
        policy.reactions = .counts
        var h = Harness.session(policy: policy)
        h.send(.sendChat(text("one")), from: "p1")
        h.send(.react(MessageID(1), .meToo), from: "p2")
        h.send(.sendChat(text("two")), from: "p1")
        #expect(h.room.reactions.byMessage.count == 1)
        h.send(.sendChat(text("three")), from: "p1")
        #expect(h.room.reactions.byMessage.isEmpty, "message 1 left the history")
        #expect(h.send(.react(MessageID(1), .meToo), from: "p2").refusals == [.unknownMessage])
    }

    @Test func aCueReachesFacilitatorsAndTheMemberOnlyByDefault() {
        var h = Self.session()
        h.connect("f2")
        let set = h.send(.setCue(.pause), from: "p2")
        let change = RoomEvent.cueChanged(CueChange(member: "p2", alias: "P2", cue: .pause))
        #expect(set.events(to: "f1") == [change])
        #expect(set.events(to: "f2") == [change])
        #expect(set.events(to: "p2") == [change])
        #expect(set.events(to: "p1").isEmpty && set.events(to: "p3").isEmpty)
        let cleared = h.send(.clearCue, from: "p2")
        #expect(cleared.events(to: "f1") == [.cueChanged(CueChange(member: "p2", alias: "P2", cue: nil))])
        #expect(h.send(.clearCue, from: "p2").deliveries.isEmpty, "clearing no cue changes nothing")
    }

    @Test func underMarkersTheGroupSeesCues() {
        var h = Self.session(cues: .markers)
        let set = h.send(.setCue(.wantToSpeak), from: "p2")
        #expect(set.events(to: "p3") == [.cueChanged(CueChange(member: "p2", alias: "P2", cue: .wantToSpeak))])
    }

    @Test func aCueIsClearedWhenItsMemberLeavesAndLateFacilitatorsSeeIt() {
        var h = Self.session()
        h.send(.setCue(.pause), from: "p2")
        let arrived = h.connect("f2")
        #expect(arrived.events(to: "f2").contains(.cueChanged(CueChange(member: "p2", alias: "P2", cue: .pause))))
        let left = h.drop("p2", cause: .closedByClient)
        #expect(left.events(to: "f1").contains(.cueChanged(CueChange(member: "p2", alias: "P2", cue: nil))))
        #expect(h.room.cues.isEmpty)
    }

    @Test func theSessionEndClearsReactionsAndCues() {
        var h = Self.session()
        h.send(.react(MessageID(1), .support), from: "p2")
        h.send(.setCue(.ok), from: "p3")
        h.send(.endSession, from: "f1")
        #expect(h.room.reactions.byMessage.isEmpty)
        #expect(h.room.cues.isEmpty)
    }
}
