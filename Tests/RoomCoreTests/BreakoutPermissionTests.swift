import RoomCore
import Testing

/// The breakout commands, and the commands a breakout changes, by every role and
/// state while groups are open (the main matrix has them with no breakout open).
@Suite("Permission matrix during a breakout")
struct BreakoutPermissionTests {
    typealias Outcome = PermissionMatrixTests.Outcome

    struct Row: CustomTestStringConvertible, Sendable {
        var command: Command
        /// Outcomes for: f1 (visiting group 1), f2 (visiting none, hosting pS's side room),
        /// pA (group 1), pM (group 1, muted), pS (group 1, in a side room).
        var outcomes: [Outcome]

        var testDescription: String { PermissionMatrixTests.name(command) }
    }

    static let ok = Outcome.ok
    static let np = Outcome.refused(.notPermitted)
    static func no(_ error: RoomError) -> Outcome { .refused(error) }
    static let say = ConfidentialText("hello")

    static let rows: [Row] = [
        Row(
            command: .startBreakout(PermissionMatrixTests.breakoutRequest),
            outcomes: [no(.breakoutAlreadyOpen), no(.breakoutAlreadyOpen), np, np, np]),
        Row(command: .visitBreakout(group: 2), outcomes: [ok, ok, np, np, np]),
        Row(
            command: .visitBreakout(group: 3),
            outcomes: [no(.unknownBreakoutGroup), no(.unknownBreakoutGroup), np, np, np]),
        Row(command: .broadcastToBreakouts(say), outcomes: [ok, ok, np, np, np]),
        Row(command: .endBreakout, outcomes: [ok, ok, np, np, np]),
        Row(command: .sendChat(say), outcomes: [ok, no(.notInBreakoutGroup), ok, no(.muted), no(.inSideRoom)]),
        Row(command: .raiseHand, outcomes: [np, np, ok, ok, no(.inSideRoom)]),
        Row(command: .lowerHand, outcomes: [ok, ok, ok, ok, ok]),
        Row(command: .giveFloor(to: nil), outcomes: [no(.queueEmpty), no(.notInBreakoutGroup), np, np, np]),
        Row(command: .giveFloor(to: "pT"), outcomes: [ok, ok, np, np, np]),
        Row(command: .giveFloor(to: "f2"), outcomes: [no(.notInBreakoutGroup), no(.notInBreakoutGroup), np, np, np]),
        Row(command: .takeFloor, outcomes: [ok, no(.notInBreakoutGroup), np, np, np]),
        Row(command: .clearHand("pT"), outcomes: [ok, ok, np, np, np]),
        Row(command: .crisisAlert, outcomes: [np, np, ok, ok, ok]),
    ]

    /// The main matrix's room, split into [pA, pM, pS] and [pT, pD], f1 visiting group 1.
    static let fixture: Harness = {
        var h = PermissionMatrixTests.fixture
        let split = BreakoutRequest(split: .named([["pA", "pM", "pS"], ["pT", "pD"]]), duration: .seconds(600))
        #expect(h.send(.startBreakout(split), from: "f1").refusals.isEmpty)
        #expect(h.send(.visitBreakout(group: 1), from: "f1").refusals.isEmpty)
        return h
    }()

    @Test(arguments: rows)
    func everyRoleAndState(row: Row) {
        let matrix = PermissionMatrixTests()
        for (member, expected) in zip(["f1", "f2", "pA", "pM", "pS"] as [MemberID], row.outcomes) {
            #expect(matrix.outcome(of: row.command, from: member, in: Self.fixture) == expected, "\(member)")
        }
        let gated: Outcome = Room.requirement(of: row.command).role == .facilitator ? Self.np : .refused(.notAdmitted)
        if row.command != .crisisAlert {
            #expect(matrix.outcome(of: row.command, from: "pW", in: Self.fixture) == gated, "waiting")
        }
        #expect(matrix.outcome(of: row.command, from: "pR", in: Self.fixture) == .refused(.removed), "removed")
    }

    @Test func theFixtureIsInGroups() {
        #expect(Self.fixture.room.breakoutGroup(of: "pA") == 1 && Self.fixture.room.breakoutGroup(of: "pT") == 2)
        #expect(Self.fixture.room.breakoutGroup(of: "pW") == nil, "a waiting participant is in no group")
    }
}
