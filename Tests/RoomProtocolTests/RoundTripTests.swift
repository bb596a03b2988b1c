import Foundation
import RoomCore
import Testing

@testable import RoomProtocol

// Test-only convenience: participant text from a literal.
extension ConfidentialText: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self.init(value) }
}

@Suite("Round trips")
struct RoundTripTests {
    @Test("the samples cover every command case")
    func commandSamplesAreExhaustive() {
        #expect(Set(Samples.commands.map(Samples.commandCaseIndex)) == Set(0..<Samples.commandCaseCount))
        #expect(Set(Samples.commands.map(\.wireType)) == Set(Command.wireTypes))
        #expect(Command.wireTypes.count == Samples.commandCaseCount)
    }

    @Test("every command survives ClientMessageEncoder → ClientMessageDecoder", arguments: Samples.commands)
    func command(_ command: Command) throws {
        let envelope = ClientEnvelope(id: CommandID("c-\(Samples.commandCaseIndex(command))"), command: command)
        let text = ClientMessageEncoder.encode(envelope)
        let decoded = try ClientMessageDecoder.decode(text).get()
        #expect(decoded == envelope)
        #expect(ClientMessageEncoder.encode(decoded) == text)
        #expect(text.hasPrefix(#"{"v":1,"type":""# + command.wireType + #"","id":"c-"#))
    }

    @Test("the samples cover every event case")
    func eventSamplesAreExhaustive() {
        #expect(Set(Samples.events.map(Samples.eventCaseIndex)) == Set(0..<Samples.eventCaseCount))
        #expect(Set(Samples.events.map(\.wireForm.type)) == Set(RoomEvent.wireTypes))
        #expect(RoomEvent.wireTypes.count == Samples.eventCaseCount)
    }

    @Test("every event survives ServerMessageEncoder.event → ServerMessage.decode", arguments: Samples.events)
    func event(_ event: RoomEvent) throws {
        let envelope = EventEnvelope(sequence: 42, time: Samples.at, event: event)
        let text = ServerMessageEncoder.event(envelope)
        let decoded = try ServerMessage.decode(text).get()
        #expect(decoded == .event(sequence: 42, time: Samples.at.millisecondsSinceEpoch, event))
        #expect(ServerMessageEncoder.event(envelope) == text, "encoding is deterministic")
        #expect(text.hasPrefix(#"{"v":1,"type":"event","seq":42,"time":1764000000000,"event":{"type":""#))
    }

    @Test("the same event in a new value gives the same bytes (dictionaries are sorted)")
    func determinism() {
        let answers = (0..<20).map { ("f\($0)", CheckInValue.score($0)) }
        let first = RoomEvent.checkInResponse(
            CheckInResponse(
                round: 1, member: "m", alias: "a",
                outcome: .answered(CheckInAnswer(Dictionary(uniqueKeysWithValues: answers)))))
        let second = RoomEvent.checkInResponse(
            CheckInResponse(
                round: 1, member: "m", alias: "a",
                outcome: .answered(CheckInAnswer(Dictionary(uniqueKeysWithValues: answers.reversed())))))
        let envelope = { (event: RoomEvent) in EventEnvelope(sequence: 1, time: Samples.at, event: event) }
        #expect(ServerMessageEncoder.event(envelope(first)) == ServerMessageEncoder.event(envelope(second)))
    }

    @Test("large sequence numbers and ids round-trip")
    func largeNumbers() throws {
        let envelope = EventEnvelope(
            sequence: .max, time: Timestamp(millisecondsSinceEpoch: .min),
            event: .messageRemoved(MessageRemoval(message: MessageID(.max), reason: .deleted)))
        let decoded = try ServerMessage.decode(ServerMessageEncoder.event(envelope)).get()
        #expect(decoded == .event(sequence: .max, time: .min, envelope.event))
    }

    @Test("welcome, ack, refusal, protocol error and going away decode to what was encoded")
    func otherServerMessages() throws {
        let cases: [(String, ServerMessage)] = [
            (
                ServerMessageEncoder.welcome(
                    member: "m-2", alias: "Sam", role: .participant, room: "iop-tue", roomTitle: "Tuesday IOP"),
                .welcome(member: "m-2", alias: "Sam", role: .participant, room: "iop-tue", roomTitle: "Tuesday IOP")
            ),
            (ServerMessageEncoder.acknowledgement("c7"), .ack("c7")),
            (
                ServerMessageEncoder.refusal("c7", .muted),
                .error(code: "muted", message: RoomError.muted.message, id: "c7")
            ),
            (
                ServerMessageEncoder.protocolError(.missingField("text", commandID: "c8")),
                .error(code: "missing_field", message: #"The field "text" is required."#, id: "c8")
            ),
            (
                ServerMessageEncoder.protocolError(.malformedJSON()),
                .error(code: "malformed_json", message: "The message is not valid JSON.", id: nil)
            ),
            (ServerMessageEncoder.goingAway(reason: "server restarting"), .goingAway(reason: "server restarting")),
            (ServerMessageEncoder.activities(Self.menu), .activities(Self.menu)),
            (ServerMessageEncoder.activities(ActivityMenu()), .activities(ActivityMenu())),
        ]
        for (text, expected) in cases {
            #expect(try ServerMessage.decode(text).get() == expected)
        }
    }

    static let menu = ActivityMenu(
        exercises: [.init(id: "box-breathing", title: "Box breathing", duration: .seconds(240))],
        checkIns: [.init(id: "mood", title: "Mood check-in")],
        agenda: [.init(id: "0", title: "Check-in", duration: .seconds(1200))])

    @Test("the activities message lists what a room offers, in a fixed shape")
    func activitiesShape() {
        #expect(
            ServerMessageEncoder.activities(Self.menu)
                == #"{"v":1,"type":"activities","exercises":[{"id":"box-breathing","title":"Box breathing","#
                + #""durationMs":240000}],"checkIns":[{"id":"mood","title":"Mood check-in"}],"agenda":[{"id":"0","#
                + #""title":"Check-in","durationMs":1200000}]}"#)
    }

    @Test("every RoomError is sent with its code", arguments: RoomError.all)
    func refusal(_ error: RoomError) throws {
        let text = ServerMessageEncoder.refusal("c1", error)
        #expect(
            text == #"{"v":1,"type":"error","id":"c1","code":""# + error.code + #"","message":""# + error.message
                + #""}"#)
        #expect(try ServerMessage.decode(text).get() == .error(code: error.code, message: error.message, id: "c1"))
    }

    @Test("ServerMessage is Decodable through JSONDecoder too")
    func decodable() throws {
        let text = ServerMessageEncoder.event(EventEnvelope(sequence: 1, time: Samples.at, event: .sessionEnded))
        let message = try JSONDecoder().decode(ServerMessage.self, from: Data(text.utf8))
        #expect(message == .event(sequence: 1, time: Samples.at.millisecondsSinceEpoch, .sessionEnded))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(ServerMessage.self, from: Data(#"{"v":1,"type":"nope"}"#.utf8))
        }
    }
}
