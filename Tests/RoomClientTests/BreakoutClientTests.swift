import RoomClient
import RoomCore
import RoomProtocol
import Testing

/// iop's face of breakout groups: the slash commands, the view model and the lines.
@Suite struct BreakoutClientTests {
    static let roster = Roster(
        entries: [
            RosterEntry(
                member: "me", alias: "Me", role: .facilitator, presence: .here, queuePosition: nil, muted: false),
            RosterEntry(
                member: "a", alias: "Alice", role: .participant, presence: .here, queuePosition: nil, muted: false),
            RosterEntry(
                member: "b", alias: "Bob", role: .participant, presence: .here, queuePosition: nil, muted: false),
            RosterEntry(
                member: "c", alias: "Carol", role: .participant, presence: .here, queuePosition: nil, muted: false),
        ], floor: nil)

    static let status = BreakoutStatus(
        run: 1, groupCount: 2, endsAt: Timestamp(millisecondsSinceEpoch: 600_000),
        groups: [
            BreakoutGroupInfo(
                number: 1, members: [BreakoutMember(member: "a", alias: "Alice")],
                visitors: [BreakoutMember(member: "me", alias: "Me")], hands: ["a"], floor: nil),
            BreakoutGroupInfo(
                number: 2,
                members: [BreakoutMember(member: "b", alias: "Bob"), BreakoutMember(member: "c", alias: "Carol")],
                visitors: [], hands: [], floor: "c"),
        ])

    static func model(_ role: Role, _ events: [RoomEvent]) -> RoomViewModel {
        ToolkitClientTests.model(role, events: [.roster(roster)] + events)
    }

    @Test func theSlashCommandsMakeTheBreakoutCommands() {
        let model = Self.model(.facilitator, [])
        let tenMinutes = Duration.seconds(600)
        #expect(
            InputParser.parse("/breakout 3", in: model)
                == .command(.startBreakout(BreakoutRequest(split: .random(count: 3, seed: 0), duration: tenMinutes))))
        #expect(
            InputParser.parse("/breakout 2 balanced 5m", in: model)
                == .command(.startBreakout(BreakoutRequest(split: .balanced(count: 2), duration: .seconds(300)))))
        #expect(
            InputParser.parse("/breakout assign alice,bob | carol", in: model)
                == .command(.startBreakout(BreakoutRequest(split: .named([["a", "b"], ["c"]]), duration: tenMinutes))))
        #expect(
            InputParser.parse("/breakout assign alice | bob, carol 90s", in: model)
                == .command(
                    .startBreakout(BreakoutRequest(split: .named([["a"], ["b", "c"]]), duration: .seconds(90)))))
        #expect(InputParser.parse("/visit 2", in: model) == .command(.visitBreakout(group: 2)))
        #expect(
            InputParser.parse("/broadcast Two minutes", in: model)
                == .command(.broadcastToBreakouts(ConfidentialText("Two minutes"))))
        #expect(InputParser.parse("/return", in: model) == .command(.endBreakout))
        for bad in [
            "/breakout", "/breakout 1", "/breakout 3 sideways", "/breakout assign alice", "/visit x", "/broadcast",
        ] {
            guard case .invalid = InputParser.parse(bad, in: model) else {
                Issue.record("\(bad) is refused before sending")
                continue
            }
        }
        guard case .invalid(let why) = InputParser.parse("/breakout assign alice | zed", in: model) else {
            Issue.record("an unknown name is refused")
            return
        }
        #expect(why.contains("zed"))
    }

    @Test func theViewKnowsTheGroupUntilEveryoneIsBack() {
        var model = Self.model(.facilitator, [.breakout(Self.status)])
        #expect(model.breakout.group(of: "me")?.number == 1, "the group a facilitator visits")
        #expect(model.breakout.group(of: "c")?.number == 2)
        model.apply(.event(sequence: 99, time: 0, .breakoutEnded(BreakoutEnd(run: 1, reason: .timeUp))), receivedAt: 0)
        #expect(model.breakout.status == nil)
    }

    @Test func eventsReadAsText() {
        let facilitator = Self.model(.facilitator, [])
        let lines = EventText.lines(for: .event(sequence: 1, time: 60_000, .breakout(Self.status)), in: facilitator)
        #expect(lines.first == "Breakout: 2 groups, back in 9 min; you are in group 1.")
        #expect(lines.contains("  Group 1: Alice · with Me (you) · hands: Alice"))
        #expect(lines.contains("  Group 2: Bob, Carol · Carol has the floor"))
        var own = Self.status
        own.groups = [Self.status.groups[1]]
        let participant = ToolkitClientTests.model(.participant)
        #expect(
            EventText.lines(for: .event(sequence: 1, time: 599_000, .breakout(own)), in: participant)
                == ["Breakout group 2 of 2: Bob, Carol · Carol has the floor · back in 1 min"])
        let ended = EventText.lines(for: .breakoutEnded(BreakoutEnd(run: 1, reason: .timeUp)), in: participant)
        #expect(ended == ["Time is up: back in the room."])
        let chat = ChatMessage(
            id: MessageID(4), from: "b", alias: "Bob", role: .participant, scope: .breakout(group: 2),
            text: ConfidentialText("hi"), sentAt: Timestamp(millisecondsSinceEpoch: 0))
        #expect(EventText.message(chat, participant) == "[4] Bob (group 2): hi")
    }
}
