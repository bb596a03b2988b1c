import RoomCore
import Testing

@testable import RoomProtocol

/// A card field's words in no protocol error and no description; on the wire only to its audience.
@Suite("Confidentiality of card fields")
struct CardCanaryTests {
    static let canary = CanaryTests.canary

    static let carriers: [String] = [
        #"{"v":1,"id":"c1","type":"card.fill","card":1,"field":"CANARY","text":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"card.fill","card":1,"field":8,"text":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"card.fill","card":"CANARY","field":0,"text":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"card.fill","card":1,"field":0,"text":["CANARY"]}"#,
        #"{"v":1,"id":"c1","type":"card.fill","card":1,"text":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"card.show","card":["CANARY"]}"#,
        #"{"v":1,"id":"c1","type":"card.share","card":"CANARY"}"#,
    ]

    @Test("the field's text never appears in an error's message or description", arguments: carriers)
    func canary(_ carrier: String) throws {
        let text = carrier.replacingOccurrences(of: "CANARY", with: Self.canary)
        let error = try #require(ClientMessageDecoder.decode(text).failure)
        for rendered in [error.message, error.description, String(reflecting: error), "\(error)"] {
            #expect(!rendered.contains("CANARY") && !rendered.contains("words I said"))
        }
        #expect(!ServerMessageEncoder.protocolError(error).contains("CANARY"))
    }

    @Test("a filled field is redacted in the command's and its events' descriptions")
    func descriptions() throws {
        let text = #"{"v":1,"id":"c1","type":"card.fill","card":1,"field":0,"text":""# + Self.canary + #""}"#
        let envelope = try ClientMessageDecoder.decode(text).get()
        guard case .fillCard(_, _, let value) = envelope.command else { throw CardCanaryFailure.notAFill }
        let events: [RoomEvent] = [
            .cardFields(CardFields(card: 1, values: [value])),
            .cardShared(CardShare(card: 1, member: "m-2", alias: "Sam", values: [value])),
        ]
        for rendered in [String(describing: envelope), String(reflecting: envelope)] + events.map({ "\($0)" }) {
            #expect(!rendered.contains("CANARY"))
        }
        let wire = ServerMessageEncoder.event(
            EventEnvelope(sequence: 1, time: Timestamp(millisecondsSinceEpoch: 0), event: events[0]))
        #expect(wire.contains("CANARY"), "the wire carries it to its author")
    }

    enum CardCanaryFailure: Error { case notAFill }
}
