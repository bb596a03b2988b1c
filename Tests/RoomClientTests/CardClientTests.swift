import RoomClient
import RoomCore
import RoomProtocol
import Testing

/// iop's face of the skills cards: `/card`, `/fill`, `/share`, the view of the card on
/// show and the lines its events print (line mode and the message pane alike).
@Suite struct CardClientTests {
    static let stop = CardInfo(
        card: 2, skillsCard: SkillsCardCatalogue.stop, scope: .room, shownAt: Timestamp(millisecondsSinceEpoch: 0))

    static func values(_ strings: [String]) -> [ConfidentialText] { strings.map(ConfidentialText.init) }

    @Test func theCommandsNameTheCardOnShowAndCountFieldsFromOne() {
        let none = ToolkitClientTests.model(.participant)
        #expect(InputParser.parse("/fill 1 hello", in: none) == .invalid("No skills card is on show."))
        #expect(InputParser.parse("/share", in: none) == .invalid("No skills card is on show."))
        let shown = ToolkitClientTests.model(.participant, events: [.cardShown(Self.stop)])
        #expect(
            InputParser.parse("/fill 2 my chest is tight", in: shown)
                == .command(.fillCard(card: 2, field: 1, ConfidentialText("my chest is tight"))))
        #expect(InputParser.parse("/fill 3", in: shown) == .command(.fillCard(card: 2, field: 2, ConfidentialText(""))))
        #expect(InputParser.parse("/fill 4 x", in: shown) == .invalid("Usage: /fill N TEXT, N from 1 to 3"))
        #expect(InputParser.parse("/fill zero x", in: shown) == .invalid("Usage: /fill N TEXT, N from 1 to 3"))
        #expect(InputParser.parse("/share", in: shown) == .command(.shareCard(card: 2)))
        let facilitator = ToolkitClientTests.model(.facilitator)
        #expect(InputParser.parse("/card dbt-stop", in: facilitator) == .command(.showCard(cardID: "dbt-stop")))
        #expect(InputParser.parse("/card off", in: facilitator) == .command(.withdrawCard))
        guard case .invalid = InputParser.parse("/card", in: facilitator) else {
            Issue.record("/card alone explains itself")
            return
        }
    }

    @Test func aParticipantSeesTheCardAndOnlyTheirOwnValues() {
        let events: [RoomEvent] = [
            .cardShown(Self.stop), .cardFields(CardFields(card: 2, values: Self.values(["", "tight chest", ""]))),
        ]
        let model = ToolkitClientTests.model(.participant, events: events)
        #expect(model.cards.values == Self.values(["", "tight chest", ""]))
        let shown = EventText.lines(for: events[0], in: ToolkitClientTests.model(.participant, events: [events[0]]))
        #expect(shown.first == "Skills card: STOP (DBT distress tolerance)")
        #expect(shown.contains("  S: Stop") && shown.contains("    Freeze. Do not act on the urge yet."))
        #expect(shown.contains { $0.contains("private; /fill N TEXT") })
        #expect(shown.contains("    1) The situation: …"))
        #expect(
            EventText.lines(for: events[1], in: model) == [
                "Your card (only you see this): 1) The situation: …  2) What I noticed: tight chest  3) How I chose to go on: …"
            ])
        #expect(model.cards.lines(role: .participant).contains("    2) What I noticed: tight chest"))
    }

    @Test func aFacilitatorSeesWhatIsSharedAndTheViewIsForgotten() {
        let share = CardShare(card: 2, member: "p", alias: "River", values: Self.values(["at home", "", ""]))
        var model = ToolkitClientTests.model(.facilitator, events: [.cardShown(Self.stop), .cardShared(share)])
        #expect(
            EventText.lines(for: .cardShared(share), in: model) == ["  River shared:", "    The situation: at home"])
        #expect(model.cards.lines(role: .facilitator).suffix(2) == ["  River shared:", "    The situation: at home"])
        model.apply(.event(sequence: 10, time: 0, .cardWithdrawn(card: 2)), receivedAt: 0)
        #expect(model.cards.card == nil && model.cards.shares.isEmpty)
        model.apply(.event(sequence: 11, time: 0, .cardShown(Self.stop)), receivedAt: 0)
        model.apply(.event(sequence: 12, time: 0, .sessionEnded), receivedAt: 0)
        #expect(model.cards == CardView(), "nothing of a card outlives the session")
    }
}
