import RoomCore
import Testing

@testable import RoomProtocol

@Suite("Confidentiality of errors")
struct CanaryTests {
    static let canary = "CANARY-7f3a9c the words I said in group"

    /// Messages that fail while carrying the canary somewhere in the client's text.
    static let carriers: [String] = [
        #"{"v":1,"id":"c1","type":"chat.send","text":"CANARY"#,  // truncated JSON
        #"CANARY"#,
        #"["CANARY"]"#,
        #""CANARY""#,
        #"{"v":"CANARY","id":"c1","type":"chat.send","text":"x"}"#,
        #"{"v":2,"id":"c1","type":"chat.send","text":"CANARY"}"#,
        #"{"v":1,"id":"CANARY","type":"chat.send","text":"x"}"#,
        #"{"v":1,"type":"chat.send","text":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"CANARY","text":"x"}"#,
        #"{"v":1,"id":"c1","type":"chat.private","text":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"chat.private","to":7,"text":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"chat.delete","message":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"checkin.start","template":"mood","timeoutMs":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"checkin.answer","answers":{"CANARY":true}}"#,
        #"{"v":1,"id":"c1","type":"checkin.answer","answers":{"word":"CANARY","mood":[1]}}"#,
        #"{"v":1,"id":"c1","type":"checkin.answer","answers":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"agenda.start","index":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"chat.send","text":"CANARY","deep":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[0]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}"#,
        #"{"v":1,"id":"c1","type":"chat.send","text":"CANARY \ud800"}"#,
        #"{"v":1,"id":"c1","type":"chat.send","text":"CANARY","#,
        #"{"v":1,"id":"c1","type":"poll.ask","question":"CANARY","options":["CANARY"]}"#,
        #"{"v":1,"id":"c1","type":"poll.ask","question":"CANARY","options":["CANARY",7]}"#,
        #"{"v":1,"id":"c1","type":"poll.ask","question":"CANARY","options":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"poll.ask","question":"CANARY","audience":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"poll.ask","question":"CANARY","timeoutMs":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"poll.vote","poll":1,"choice":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"reaction.add","message":1,"reaction":"CANARY"}"#,
        #"{"v":1,"id":"c1","type":"cue.set","cue":"CANARY"}"#,
    ]

    @Test("the client's text never appears in an error's message or description", arguments: carriers)
    func canary(_ carrier: String) throws {
        let text = carrier.replacingOccurrences(of: "CANARY", with: Self.canary)
        let error = try #require(ClientMessageDecoder.decode(text).failure)
        for rendered in [
            error.message, error.description, String(describing: error), String(reflecting: error), "\(error)",
        ] {
            #expect(!rendered.contains("CANARY"))
            #expect(!rendered.contains("7f3a9c"))
            #expect(!rendered.contains("words I said"))
        }
        let sent = ServerMessageEncoder.protocolError(error)
        #expect(!sent.contains("CANARY"))
    }

    @Test("the canary is also absent when the message is too large")
    func tooLarge() throws {
        let text = #"{"v":1,"id":"c1","type":"chat.send","text":""# + Self.canary + #""}"#
        let error = try #require(ClientMessageDecoder.decode(text, maxBytes: 10).failure)
        #expect(!error.description.contains("CANARY"))
        #expect(error.commandID == nil, "the message was not read at all")
    }

    @Test("a decoded command's description redacts the text")
    func commandDescription() throws {
        let text = #"{"v":1,"id":"c1","type":"chat.send","text":""# + Self.canary + #""}"#
        let envelope = try ClientMessageDecoder.decode(text).get()
        #expect(!String(describing: envelope).contains("CANARY"))
        #expect(!String(reflecting: envelope).contains("CANARY"))
    }

    @Test("a poll's question and options are redacted in descriptions, the command's and its events'")
    func pollDescription() throws {
        let text =
            #"{"v":1,"id":"c1","type":"poll.ask","question":"Q "# + Self.canary
            + #"","options":["A "# + Self.canary + #"","B "# + Self.canary + #""]}"#
        let envelope = try ClientMessageDecoder.decode(text).get()
        let asked: PollRequest? = if case .askPoll(let request) = envelope.command { request } else { nil }
        let request = try #require(asked)
        let opened = RoomEvent.pollOpened(
            PollInfo(
                poll: 1, question: request.question, choices: request.choices, audience: .group,
                openedAt: Timestamp(millisecondsSinceEpoch: 0), closesAt: nil))
        for rendered in [
            String(describing: envelope), String(reflecting: envelope), String(describing: opened),
            String(reflecting: opened),
        ] {
            #expect(!rendered.contains("CANARY"))
        }
        #expect(
            ServerMessageEncoder.event(
                EventEnvelope(sequence: 1, time: Timestamp(millisecondsSinceEpoch: 0), event: opened)
            ).contains("CANARY"), "the wire carries it to its audience")
    }
}
