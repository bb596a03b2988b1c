import Testing

@testable import RoomCore

/// Skills cards: one on show at a time, seen by the group; fields filled in privately,
/// seen by their author alone and by facilitators only after the author shares them;
/// forgotten when the card goes, when the author leaves and at the session's end.
@Suite("Skills cards")
struct CardTests {
    static let stop = SkillsCardCatalogue.stop

    static func values(_ strings: [String]) -> [ConfidentialText] { strings.map(ConfidentialText.init) }

    @Test func theGroupSeesTheCardAndAFieldReachesOnlyItsAuthor() {
        var h = Harness.session()
        let shown = h.send(.showCard(cardID: "dbt-stop"), from: "f1")
        let info = CardInfo(card: 1, skillsCard: Self.stop, scope: .room, shownAt: epoch)
        for member: MemberID in ["f1", "p1", "p2", "p3"] {
            #expect(shown.events(to: member) == [.cardShown(info)], "\(member)")
        }
        let filled = h.send(.fillCard(card: 1, field: 1, text("my chest is tight")), from: "p1")
        #expect(filled.acknowledgements.count == 1)
        #expect(
            filled.events(to: "p1") == [
                .cardFields(CardFields(card: 1, values: Self.values(["", "my chest is tight", ""])))
            ])
        #expect(filled.deliveries.allSatisfy { $0.recipients == ["p1"] }, "nobody else hears of it")
        #expect(filled.records.isEmpty)
    }

    @Test func facilitatorsSeeTheFieldsOnlyWhenTheParticipantShares() {
        var h = Harness.session()
        h.send(.showCard(cardID: "dbt-stop"), from: "f1")
        h.send(.fillCard(card: 1, field: 0, text("an argument at home")), from: "p1")
        h.send(.fillCard(card: 1, field: 0, text("my own words")), from: "p2")
        let shared = h.send(.shareCard(card: 1), from: "p1")
        let share = CardShare(card: 1, member: "p1", alias: "P1", values: Self.values(["an argument at home", "", ""]))
        #expect(shared.events(to: "f1") == [.cardShared(share)])
        #expect(shared.events(to: "p1") == [.cardShared(share)])
        #expect(shared.events(to: "p2").isEmpty)
        #expect(shared.events(to: "p3").isEmpty)
        #expect(shared.records.isEmpty)
    }

    @Test func refusalsNameTheRuleAndChangeNothing() {
        var h = Harness.session()
        #expect(h.send(.fillCard(card: 1, field: 0, text("x")), from: "p1").refusals == [.noCard])
        #expect(h.send(.shareCard(card: 1), from: "p1").refusals == [.noCard])
        #expect(h.send(.withdrawCard, from: "f1").refusals == [.noCard])
        #expect(h.send(.showCard(cardID: "no-such-card"), from: "f1").refusals == [.unknownCard])
        h.send(.showCard(cardID: "dbt-stop"), from: "f1")
        h.send(.fillCard(card: 1, field: 0, text("kept")), from: "p1")
        let before = h.room
        #expect(h.send(.fillCard(card: 2, field: 0, text("x")), from: "p1").refusals == [.noCard], "another card")
        #expect(h.send(.fillCard(card: 1, field: 3, text("x")), from: "p1").refusals == [.unknownField])
        #expect(h.send(.fillCard(card: 1, field: -1, text("x")), from: "p1").refusals == [.unknownField])
        let tooLong = String(repeating: "y", count: Self.stop.fields[0].maxLength + 1)
        #expect(h.send(.fillCard(card: 1, field: 0, text(tooLong)), from: "p1").refusals == [.messageTooLong])
        #expect(h.send(.fillCard(card: 1, field: 0, text("x")), from: "f1").refusals == [.notPermitted])
        #expect(h.room == before)
    }

    @Test func blankTextClearsAField() {
        var h = Harness.session()
        h.send(.showCard(cardID: "dbt-stop"), from: "f1")
        h.send(.fillCard(card: 1, field: 2, text("went for a walk")), from: "p1")
        let cleared = h.send(.fillCard(card: 1, field: 2, text("  ")), from: "p1")
        #expect(cleared.events(to: "p1") == [.cardFields(CardFields(card: 1, values: Self.values(["", "", ""])))])
        #expect(h.room.card?.filled.isEmpty == true, "nothing kept for the member")
    }

    @Test func withdrawingOrReplacingTheCardForgetsWhatWasFilledIn() {
        var h = Harness.session()
        h.send(.showCard(cardID: "dbt-stop"), from: "f1")
        h.send(.fillCard(card: 1, field: 0, text("a private note")), from: "p1")
        let replaced = h.send(.showCard(cardID: "dbt-stop"), from: "f1")
        #expect(replaced.events(to: "p2").count == 2)
        #expect(replaced.events(to: "p2").first == .cardWithdrawn(card: 1))
        #expect(h.room.card?.info.card == 2)
        #expect(h.room.card?.filled.isEmpty == true)
        let shared = h.send(.shareCard(card: 2), from: "p1")
        #expect(
            shared.events(to: "f1") == [
                .cardShared(CardShare(card: 2, member: "p1", alias: "P1", values: Self.values(["", "", ""])))
            ])
        h.send(.fillCard(card: 2, field: 0, text("again")), from: "p1")
        let withdrawn = h.send(.withdrawCard, from: "f1")
        #expect(withdrawn.events(to: "p3") == [.cardWithdrawn(card: 2)])
        #expect(h.room.card == nil)
    }

    @Test func aReturningMemberGetsTheCardAndOnlyTheirOwnValues() {
        var h = Harness.session()
        h.send(.showCard(cardID: "grounding-5-4-3-2-1"), from: "f1")
        h.send(.fillCard(card: 1, field: 0, text("the cold window")), from: "p1")
        h.drop("p1")
        h.drop("p2")
        h.advance(.seconds(5))
        let p1 = h.connect("p1").events(to: "p1")
        let p2 = h.connect("p2").events(to: "p2")
        let info = CardInfo(
            card: 1, skillsCard: SkillsCardCatalogue.grounding, scope: .room, shownAt: epoch)
        #expect(p1.contains(.cardShown(info)))
        #expect(p1.contains(.cardFields(CardFields(card: 1, values: Self.values(["the cold window"])))))
        #expect(p2.contains(.cardShown(info)))
        #expect(!p2.contains { if case .cardFields = $0 { true } else { false } })
    }

    @Test func leavingTheSessionOrItsEndForgetsTheFields() {
        var h = Harness.session()
        h.send(.showCard(cardID: "dbt-stop"), from: "f1")
        h.send(.fillCard(card: 1, field: 0, text("gone when I go")), from: "p1")
        h.drop("p1", cause: .closedByClient)
        #expect(h.room.card?.filled["p1"] == nil)
        h.send(.fillCard(card: 1, field: 0, text("gone at the end")), from: "p2")
        h.send(.endSession, from: "f1")
        #expect(h.room.card == nil)
    }

    @Test func aCardInASideRoomIsNeitherSeenNorFilled() {
        var h = Harness.session()
        h.send(.openSideRoom(with: "p3"), from: "f1")
        let shown = h.send(.showCard(cardID: "dbt-tipp"), from: "f1")
        #expect(shown.events(to: "p3").isEmpty)
        #expect(h.send(.fillCard(card: 1, field: 0, text("x")), from: "p3").refusals == [.inSideRoom])
        let back = h.send(.closeSideRoom(with: "p3"), from: "f1")
        #expect(back.events(to: "p3").contains { if case .cardShown = $0 { true } else { false } })
    }

    /// The card is the room's (scope `room`) while breakout groups are open: every group
    /// sees it, and a field still reaches only its author.
    @Test func duringABreakoutEveryGroupSeesTheCardAndFieldsStayPrivate() {
        var h = Harness.session(["p1", "p2", "p3", "p4"])
        let split = h.send(
            .startBreakout(BreakoutRequest(split: .balanced(count: 2), duration: .seconds(600))), from: "f1")
        #expect(split.refusals.isEmpty)
        let shown = h.send(.showCard(cardID: "dbt-dear-man"), from: "f1")
        for member: MemberID in ["f1", "p1", "p2", "p3", "p4"] {
            #expect(shown.events(to: member).count == 1, "\(member)")
        }
        let filled = h.send(.fillCard(card: 1, field: 4, text("offer a trade")), from: "p3")
        #expect(filled.deliveries.allSatisfy { $0.recipients == ["p3"] })
    }

    @Test func theStandardCardsKeepTheRoomsBounds() {
        let ids = SkillsCardCatalogue.standard.map(\.id)
        #expect(Set(ids).count == ids.count)
        for card in SkillsCardCatalogue.standard { #expect(card.isWithinLimits, "\(card.id)") }
        #expect(ids.contains("dbt-dear-man") && ids.contains("cbt-thought-record"))
    }
}
