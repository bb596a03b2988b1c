import RoomClient
import RoomCore
import Testing

/// `/end` ends the session for everyone, so one typed line must not do it: the first
/// `/end` asks, the same again within 10 s ends, `/end!` ends at once (scripts).
/// Time is passed in, moved by exact amounts.
struct ConfirmationTests {
    private static let facilitator: RoomViewModel = {
        var model = RoomViewModel()
        model.apply(.welcome(member: "f", alias: "Dana", role: .facilitator, room: "r", roomTitle: "R"), receivedAt: 0)
        return model
    }()

    private static func parse(_ line: String, _ model: RoomViewModel = facilitator) -> ParsedInput {
        InputParser.parse(line, in: model)
    }

    @Test func endAsksFirstAndEndBangEndsAtOnce() {
        #expect(Self.parse("/end") == .confirm(.endSession, question: ConfirmationGate.endQuestion))
        #expect(ConfirmationGate.endQuestion.contains("End the session for everyone?"))
        #expect(Self.parse("/end!") == .command(.endSession))
        #expect(Self.parse("/END!") == .command(.endSession))
        #expect(Self.parse("/end!", RoomViewModel()) == .invalid("/end! is for facilitators."))
        #expect(Self.parse("/end", RoomViewModel()) == .invalid("/end is for facilitators."))
        #expect(InputParser.help(for: .facilitator).contains { $0.hasPrefix("/end!") })
    }

    @Test func aSecondEndWithinTheWindowConfirms() {
        var gate = ConfirmationGate()
        let start: Int64 = 1_764_000_000_000
        #expect(gate.resolve(Self.parse("/end"), at: start) == Self.parse("/end"), "the first one only asks")
        #expect(gate.pending(at: start) == .endSession)
        #expect(gate.resolve(Self.parse("/end"), at: start + 10_000) == .command(.endSession), "10 s: still in time")
        #expect(gate.pending(at: start + 10_000) == nil, "answered")
        #expect(gate.resolve(Self.parse("/end"), at: start + 10_001) == Self.parse("/end"), "a third one asks again")
    }

    @Test func aLateRepeatAsksAgain() {
        var gate = ConfirmationGate()
        #expect(gate.resolve(Self.parse("/end"), at: 0) == Self.parse("/end"))
        #expect(gate.pending(at: 10_001) == nil)
        #expect(gate.resolve(Self.parse("/end"), at: 10_001) == Self.parse("/end"), "10.001 s later: a new question")
        #expect(gate.resolve(Self.parse("/end"), at: 12_000) == .command(.endSession))
    }

    @Test func anythingElseInBetweenClosesTheQuestion() {
        var gate = ConfirmationGate()
        #expect(gate.resolve(Self.parse("/end"), at: 0) == Self.parse("/end"))
        #expect(gate.resolve(Self.parse(""), at: 1_000) == .nothing, "an empty line changes nothing")
        #expect(gate.pending(at: 1_000) == .endSession)
        #expect(gate.resolve(Self.parse("/lock"), at: 2_000) == .command(.lockRoom))
        #expect(gate.pending(at: 2_000) == nil)
        #expect(gate.resolve(Self.parse("/end"), at: 3_000) == Self.parse("/end"), "asks again")
        #expect(gate.resolve(Self.parse("/end!"), at: 3_500) == .command(.endSession))
    }
}
