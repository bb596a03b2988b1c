import RoomCore
import RoomProtocol
import Testing

@testable import RoomClient

/// `/absent`: a facilitator records why an expected member is missing; the
/// session defaults to the open one of the `expected` line.
@Suite struct AbsenceCommandTests {
    static let expected = ExpectedMembers(
        session: "2026-03-09T18:00",
        members: [ExpectedMember(member: "m-1", present: true), ExpectedMember(member: "m-2", present: false)])

    static func model(expected: ExpectedMembers? = Self.expected) -> RoomViewModel {
        var model = RoomViewModel()
        model.apply(
            .welcome(member: "f-1", alias: "Dana", role: .facilitator, room: "r", roomTitle: "R"), receivedAt: 0)
        if let expected { model.apply(.expected(expected), receivedAt: 0) }
        return model
    }

    @Test func theOpenSessionIsTheDefaultAndAnotherCanBeNamed() {
        let model = Self.model()
        #expect(
            InputParser.parse("/absent m-2 excused", in: model)
                == .command(.recordAbsence(AbsenceEntry(member: "m-2", session: "2026-03-09T18:00", reason: .excused))))
        #expect(
            InputParser.parse("/absent m-2 Rescheduled 2026-03-04T18:00", in: model)
                == .command(
                    .recordAbsence(AbsenceEntry(member: "m-2", session: "2026-03-04T18:00", reason: .rescheduled))))
        #expect(
            InputParser.parse("/absent m-2 clear", in: model)
                == .command(.clearAbsence(member: "m-2", session: "2026-03-09T18:00")))
    }

    @Test func aBadReasonOrNoSessionIsExplained() {
        guard case .invalid(let usage) = InputParser.parse("/absent m-2 sick", in: Self.model()) else {
            Issue.record("a reason outside the three words is refused before sending")
            return
        }
        #expect(usage.hasPrefix("Usage: /absent"))
        guard case .invalid(let why) = InputParser.parse("/absent m-2 excused", in: Self.model(expected: nil)) else {
            Issue.record("no open session and none named")
            return
        }
        #expect(why.contains("No session is open"))
    }

    @Test func facilitatorsSeeTheRecordAndTheModelKeepsIt() {
        var model = Self.model()
        let record = AbsenceRecord(
            entry: AbsenceEntry(member: "m-2", session: "2026-03-09T18:00", reason: .unexcused), recordedBy: "f-1",
            at: Timestamp(millisecondsSinceEpoch: 0))
        let message = ServerMessage.event(sequence: 1, time: 0, .absenceRecorded(record))
        model.apply(message, receivedAt: 0)
        #expect(model.absences["2026-03-09T18:00"]?["m-2"] == .unexcused)
        #expect(EventText.lines(for: message, in: model) == ["Absence recorded: m-2 at 2026-03-09T18:00: unexcused."])
        var cleared = record
        cleared.entry.reason = nil
        let clearing = ServerMessage.event(sequence: 2, time: 0, .absenceRecorded(cleared))
        model.apply(clearing, receivedAt: 0)
        #expect(model.absences["2026-03-09T18:00"]?["m-2"] == nil)
        #expect(EventText.lines(for: clearing, in: model) == ["Absence reason cleared: m-2 at 2026-03-09T18:00."])
    }
}
