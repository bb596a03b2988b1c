import RoomCore
import Testing

@testable import RoomProtocol

/// One malformed client message and the error it must give.
struct BadInput: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    let code: String
    /// Text the message must contain (usually the field name).
    var mentions: String? = nil
    /// The id the error must carry.
    var id: CommandID? = nil
    var maxBytes = 64 * 1024

    var testDescription: String { name }
}

@Suite("Bad client input")
struct BadInputTests {
    static let deep = String(repeating: "[", count: 33) + String(repeating: "]", count: 33)
    static let deepInField = #"{"v":1,"id":"c1","type":"chat.send","text":"x","extra":"# + deep + "}"
    static let longID = String(repeating: "a", count: 65)

    static let table: [BadInput] = [
        BadInput(name: "not JSON", text: "hello", code: "malformed_json"),
        BadInput(name: "empty", text: "", code: "malformed_json"),
        BadInput(name: "truncated", text: #"{"v":1,"id":"c1","type":"chat.send","text":"hi"#, code: "malformed_json"),
        BadInput(name: "trailing garbage", text: #"{"v":1} x"#, code: "malformed_json"),
        BadInput(name: "array", text: #"[{"v":1}]"#, code: "not_an_object"),
        BadInput(name: "string", text: #""chat.send""#, code: "not_an_object"),
        BadInput(name: "number", text: "1", code: "not_an_object"),
        BadInput(name: "null", text: "null", code: "not_an_object"),
        BadInput(
            name: "missing v", text: #"{"id":"c1","type":"hand.raise"}"#, code: "missing_field", mentions: #""v""#,
            id: "c1"),
        BadInput(name: "v 2", text: #"{"v":2,"id":"c1","type":"hand.raise"}"#, code: "unsupported_version", id: "c1"),
        BadInput(
            name: "v as string", text: #"{"v":"1","id":"c1","type":"hand.raise"}"#, code: "unsupported_version",
            id: "c1"),
        BadInput(name: "v 1.5", text: #"{"v":1.5,"type":"hand.raise"}"#, code: "unsupported_version"),
        BadInput(name: "missing id", text: #"{"v":1,"type":"hand.raise"}"#, code: "missing_id"),
        BadInput(name: "null id", text: #"{"v":1,"id":null,"type":"hand.raise"}"#, code: "missing_id"),
        BadInput(
            name: "id too long", text: #"{"v":1,"id":""# + longID + #"","type":"hand.raise"}"#, code: "invalid_field",
            mentions: #""id""#),
        BadInput(
            name: "empty id", text: #"{"v":1,"id":"","type":"hand.raise"}"#, code: "invalid_field", mentions: #""id""#),
        BadInput(
            name: "id with space", text: #"{"v":1,"id":"c 1","type":"hand.raise"}"#, code: "invalid_field",
            mentions: #""id""#),
        BadInput(
            name: "id not ASCII", text: #"{"v":1,"id":"c\u00e9","type":"hand.raise"}"#, code: "invalid_field",
            mentions: #""id""#),
        BadInput(
            name: "numeric id", text: #"{"v":1,"id":7,"type":"hand.raise"}"#, code: "invalid_field", mentions: #""id""#),
        BadInput(
            name: "missing type", text: #"{"v":1,"id":"c1"}"#, code: "missing_field", mentions: #""type""#, id: "c1"),
        BadInput(
            name: "type not a string", text: #"{"v":1,"id":"c1","type":3}"#, code: "invalid_field",
            mentions: #""type""#, id: "c1"),
        BadInput(
            name: "unknown type", text: #"{"v":1,"id":"c1","type":"hand.wave"}"#, code: "unknown_type",
            mentions: #""hand.wave""#, id: "c1"),
        BadInput(
            name: "server type sent by a client", text: #"{"v":1,"id":"c1","type":"ack"}"#, code: "unknown_type",
            id: "c1"),
        BadInput(
            name: "missing text", text: #"{"v":1,"id":"c1","type":"chat.send"}"#, code: "missing_field",
            mentions: #""text""#, id: "c1"),
        BadInput(
            name: "null text", text: #"{"v":1,"id":"c1","type":"chat.send","text":null}"#, code: "missing_field",
            mentions: #""text""#, id: "c1"),
        BadInput(
            name: "text as number", text: #"{"v":1,"id":"c1","type":"chat.send","text":42}"#, code: "invalid_field",
            mentions: #""text""#, id: "c1"),
        BadInput(
            name: "text as object", text: #"{"v":1,"id":"c1","type":"chat.send","text":{"a":1}}"#,
            code: "invalid_field", mentions: #""text""#, id: "c1"),
        BadInput(
            name: "missing member", text: #"{"v":1,"id":"c1","type":"member.mute"}"#, code: "missing_field",
            mentions: #""member""#, id: "c1"),
        BadInput(
            name: "empty member", text: #"{"v":1,"id":"c1","type":"member.mute","member":""}"#, code: "invalid_field",
            mentions: #""member""#, id: "c1"),
        BadInput(
            name: "member as number", text: #"{"v":1,"id":"c1","type":"waiting.admit","member":5}"#,
            code: "invalid_field", mentions: #""member""#, id: "c1"),
        BadInput(
            name: "private message without to", text: #"{"v":1,"id":"c1","type":"chat.private","text":"hi"}"#,
            code: "missing_field", mentions: #""to""#, id: "c1"),
        BadInput(
            name: "message id negative", text: #"{"v":1,"id":"c1","type":"chat.delete","message":-1}"#,
            code: "invalid_field", mentions: #""message""#, id: "c1"),
        BadInput(
            name: "message id as string", text: #"{"v":1,"id":"c1","type":"chat.redact","message":"7"}"#,
            code: "invalid_field", mentions: #""message""#, id: "c1"),
        BadInput(
            name: "message id fractional", text: #"{"v":1,"id":"c1","type":"chat.redact","message":7.5}"#,
            code: "invalid_field", mentions: #""message""#, id: "c1"),
        BadInput(
            name: "timeout negative",
            text: #"{"v":1,"id":"c1","type":"checkin.start","template":"mood","timeoutMs":-5}"#, code: "invalid_field",
            mentions: #""timeoutMs""#, id: "c1"),
        BadInput(
            name: "timeout over a day",
            text: #"{"v":1,"id":"c1","type":"checkin.start","template":"mood","timeoutMs":86400001}"#,
            code: "invalid_field", mentions: #""timeoutMs""#, id: "c1"),
        BadInput(
            name: "timeout as string",
            text: #"{"v":1,"id":"c1","type":"checkin.start","template":"mood","timeoutMs":"60"}"#,
            code: "invalid_field", mentions: #""timeoutMs""#, id: "c1"),
        BadInput(
            name: "missing template", text: #"{"v":1,"id":"c1","type":"checkin.start"}"#, code: "missing_field",
            mentions: #""template""#, id: "c1"),
        BadInput(
            name: "missing answers", text: #"{"v":1,"id":"c1","type":"checkin.answer"}"#, code: "missing_field",
            mentions: #""answers""#, id: "c1"),
        BadInput(
            name: "answers as array", text: #"{"v":1,"id":"c1","type":"checkin.answer","answers":[7]}"#,
            code: "invalid_field", mentions: #""answers""#, id: "c1"),
        BadInput(
            name: "answer as boolean", text: #"{"v":1,"id":"c1","type":"checkin.answer","answers":{"mood":true}}"#,
            code: "invalid_field", mentions: #""answers""#, id: "c1"),
        BadInput(
            name: "answer fractional", text: #"{"v":1,"id":"c1","type":"checkin.answer","answers":{"mood":6.5}}"#,
            code: "invalid_field", mentions: #""answers""#, id: "c1"),
        BadInput(
            name: "missing exercise", text: #"{"v":1,"id":"c1","type":"exercise.start"}"#, code: "missing_field",
            mentions: #""exercise""#, id: "c1"),
        BadInput(
            name: "alert as string", text: #"{"v":1,"id":"c1","type":"crisis.acknowledge","alert":"1"}"#,
            code: "invalid_field", mentions: #""alert""#, id: "c1"),
        BadInput(
            name: "agenda index negative", text: #"{"v":1,"id":"c1","type":"agenda.start","index":-1}"#,
            code: "invalid_field", mentions: #""index""#, id: "c1"),
        BadInput(
            name: "version missing", text: #"{"v":1,"id":"c1","type":"agreement.accept"}"#, code: "missing_field",
            mentions: #""version""#, id: "c1"),
        BadInput(
            name: "floor to a number", text: #"{"v":1,"id":"c1","type":"floor.give","member":1}"#,
            code: "invalid_field", mentions: #""member""#, id: "c1"),
        BadInput(
            name: "too large",
            text: #"{"v":1,"id":"c1","type":"chat.send","text":""# + String(repeating: "x", count: 100) + #""}"#,
            code: "message_too_large", maxBytes: 64),
        BadInput(
            name: "too large by default",
            text: #"{"v":1,"id":"c1","type":"chat.send","text":""# + String(repeating: "x", count: 65536) + #""}"#,
            code: "message_too_large"),
        BadInput(name: "deep nesting", text: deep, code: "malformed_json"),
        BadInput(name: "deep nesting in an ignored field", text: deepInField, code: "malformed_json"),
        BadInput(
            name: "lone high surrogate escape", text: #"{"v":1,"id":"c1","type":"chat.send","text":"\ud800"}"#,
            code: "malformed_json"),
        BadInput(
            name: "lone low surrogate escape", text: #"{"v":1,"id":"c1","type":"chat.send","text":"\udc00x"}"#,
            code: "malformed_json"),
        BadInput(
            name: "reversed surrogate pair", text: #"{"v":1,"id":"c1","type":"chat.send","text":"\udc00\ud800"}"#,
            code: "malformed_json"),
        BadInput(
            name: "bad escape", text: #"{"v":1,"id":"c1","type":"chat.send","text":"\x"}"#, code: "malformed_json"),
        BadInput(
            name: "short unicode escape", text: #"{"v":1,"id":"c1","type":"chat.send","text":"\u12"}"#,
            code: "malformed_json"),
        BadInput(
            name: "raw control character", text: "{\"v\":1,\"id\":\"c1\",\"type\":\"chat.send\",\"text\":\"a\u{1}b\"}",
            code: "malformed_json"),
    ]

    @Test("a bad message gives the documented code", arguments: table)
    func badInput(_ input: BadInput) throws {
        switch ClientMessageDecoder.decode(input.text, maxBytes: input.maxBytes) {
        case .success(let envelope):
            Issue.record("decoded \(envelope.command.wireType) instead of failing with \(input.code)")
        case .failure(let error):
            #expect(error.code == input.code)
            #expect(error.commandID == input.id)
            if let mentions = input.mentions { #expect(error.message.contains(mentions), "\(error.message)") }
            #expect(ProtocolError.codes.contains(error.code))
            // The error must still encode to a decodable server message.
            let sent = ServerMessageEncoder.protocolError(error)
            #expect(
                try ServerMessage.decode(sent).get()
                    == .error(code: error.code, message: error.message, id: error.commandID))
        }
    }

    @Test("unknown fields are ignored and null counts as absent")
    func forwardCompatible() throws {
        let text = #"{"v":1,"id":"c1","type":"floor.give","member":null,"future":{"a":[1,2,{"b":null}]},"x":1e300}"#
        #expect(try ClientMessageDecoder.decode(text).get() == ClientEnvelope(id: "c1", command: .giveFloor(to: nil)))
        let reordered = #"{"text":"hi","type":"chat.send","id":"c2","v":1}"#
        #expect(try ClientMessageDecoder.decode(reordered).get() == ClientEnvelope(id: "c2", command: .sendChat("hi")))
    }

    @Test("escapes are decoded, including surrogate pairs")
    func escapes() throws {
        let text = #"{"v":1,"id":"c1","type":"chat.send","text":"\ud83e\uddd8 \u00e9\n\"\\\/"}"#
        #expect(try ClientMessageDecoder.decode(text).get().command == .sendChat("🧘 é\n\"\\/"))
    }

    @Test("a message exactly at the limit is accepted")
    func exactLimit() throws {
        let text = #"{"v":1,"id":"c1","type":"hand.raise"}"#
        #expect(throws: Never.self) { try ClientMessageDecoder.decode(text, maxBytes: text.utf8.count).get() }
        #expect(ClientMessageDecoder.decode(text, maxBytes: text.utf8.count - 1).failureCode == "message_too_large")
    }

    @Test("an unknown type that is not a short identifier is not repeated")
    func unknownTypeNotEchoed() throws {
        for type in ["my secret words", String(repeating: "a", count: 33), "café", "a\"b"] {
            let escaped = type.replacingOccurrences(of: "\"", with: "\\\"")
            let error = try #require(
                ClientMessageDecoder.decode(#"{"v":1,"id":"c1","type":""# + escaped + #""}"#).failure)
            #expect(error.code == "unknown_type")
            #expect(error.message == "Unknown message type.")
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }

    var failureCode: String? { (failure as? ProtocolError)?.code }
}
