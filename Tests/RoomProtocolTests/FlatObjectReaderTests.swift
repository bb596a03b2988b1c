import RoomCore
import Testing

@_spi(Testing) @testable import RoomProtocol

@Suite("Flat read of commands (no JSONDecoder)")
struct FlatObjectReaderTests {
    /// The members the general read finds, by key (its order of keys is the decoder's).
    static func generalMembers(_ text: String) -> [String: JSONValue]? {
        guard case .success(.object(let members)) = JSONValue.parse(text) else { return nil }
        return Dictionary(members, uniquingKeysWith: { first, _ in first })
    }

    @Test("a chat message as clients write it is read flat, in order, to the members the general read finds")
    func chatMessage() throws {
        let text = #"{"v":1,"type":"chat.send","id":"c-17","text":"Ünïcödé, emoji 🌱 and 'quotes' are fine"}"#
        let members = try #require(FlatObjectReader.members(of: text))
        #expect(members.map(\.0) == ["v", "type", "id", "text"])
        #expect(Dictionary(uniqueKeysWithValues: members) == Self.generalMembers(text))
        #expect(
            try ClientMessageDecoder.decode(text).get()
                == ClientEnvelope(id: "c-17", command: .sendChat("Ünïcödé, emoji 🌱 and 'quotes' are fine")))
    }

    @Test("every sample command the encoder writes without escapes or nesting is read flat, with the same result")
    func samples() throws {
        var flat = 0
        for command in Samples.commands {
            let text = ClientMessageEncoder.encode(ClientEnvelope(id: "c-1", command: command))
            guard let members = FlatObjectReader.members(of: text) else {
                #expect(text.contains("\\") || text.contains("[") || text.dropFirst().contains("{"), "\(text)")
                continue
            }
            flat += 1
            #expect(Dictionary(uniqueKeysWithValues: members) == Self.generalMembers(text), "\(text)")
            #expect(ClientMessageDecoder.decode(text) == ClientMessageDecoder.decodeGeneral(text), "\(text)")
        }
        #expect(flat > Samples.commands.count / 2)
    }

    @Test(
        "anything outside the flat shape is left to the decoder, which gives the general result",
        arguments: [
            #" {"v":1,"type":"ping","id":"c1"}"#,  // whitespace, anywhere
            #"{"v":1, "type":"ping","id":"c1"}"#,
            #"{"v":1,"type":"ping","id":"c1"} "#,
            #"{"v":1,"type":"chat.send","id":"c1","text":"a\"b"}"#,  // an escape
            #"{"v":1,"type":"chat.send","id":"c1","text":"a\u0041"}"#,
            "{\"v\":1,\"type\":\"chat.send\",\"id\":\"c1\",\"text\":\"a\tb\"}",  // a control character
            "{\"v\":1,\"type\":\"chat.send\",\"id\":\"c1\",\"text\":\"a\u{0}b\"}",
            #"{"v":1,"type":"ping","id":"c1","ké":1}"#,  // a key that is not ASCII
            #"{"v":true,"type":"ping","id":"c1"}"#,  // other kinds of value
            #"{"v":null,"type":"ping","id":"c1"}"#,
            #"{"v":1.0,"type":"ping","id":"c1"}"#,
            #"{"v":1e0,"type":"ping","id":"c1"}"#,
            #"{"v":-0,"type":"ping","id":"c1"}"#,
            #"{"v":01,"type":"ping","id":"c1"}"#,
            #"{"v":-,"type":"ping","id":"c1"}"#,
            #"{"v":1,"type":"ping","id":"c1","n":9223372036854775808}"#,  // beyond Int64
            #"{"v":1,"type":"ping","id":"c1","n":-9223372036854775809}"#,
            #"{"v":1,"type":"ping","id":"c1","n":12345678901234567890}"#,  // 20 digits
            #"{"v":1,"type":"checkin.answer","id":"c1","answers":[1]}"#,
            #"{"v":1,"type":"ping","id":"c1","o":{}}"#,
            #"{"v":1,"type":"ping","id":"c1","id":"c2"}"#,  // a repeated key
            #"{"v":1,"type":"ping","id":"c1","a":1,"b":2,"c":3,"d":4,"e":5,"f":6}"#,  // nine members
            "{}",
            #"{"v":1,"type":"ping","id":"c1",}"#,  // malformed
            #"{"v":1,"type":"ping","id":"c1""#,
            #"{"v":1,"type":"ping","id":"c1"}}"#,
            #"{"v":1,"type":"ping","id":"c1"}x"#,
            #"{"v":1,"type":"ping","id:"c1"}"#,
            #"{"v"1,"type":"ping","id":"c1"}"#,
            #"{"v":1,"type":"ping","id":"c1"#,
            #"{"v":1,"type":"ping","id""#,
            #"{"v":1,"type":"ping","id"#,
            #"["v",1]"#,
            "",
        ])
    func refused(_ text: String) {
        #expect(FlatObjectReader.members(of: text) == nil)
        #expect(ClientMessageDecoder.decode(text) == ClientMessageDecoder.decodeGeneral(text))
    }

    @Test("integers within Int64, negative ones and zero are read as the general read reads them")
    func integers() throws {
        for number in ["0", "7", "-7", "999999999999999999", "9223372036854775807", "-9223372036854775808"] {
            let text = #"{"v":1,"type":"chat.delete","id":"c1","message":"# + number + "}"
            let members = try #require(FlatObjectReader.members(of: text), "\(number)")
            #expect(Dictionary(uniqueKeysWithValues: members) == Self.generalMembers(text), "\(number)")
            #expect(ClientMessageDecoder.decode(text) == ClientMessageDecoder.decodeGeneral(text), "\(number)")
        }
    }

    @Test("a flat message with a wrong field gives the same error as the general read")
    func errorsAgree() {
        let texts = [
            #"{"v":2,"type":"ping","id":"c1"}"#,
            #"{"type":"ping","id":"c1"}"#,
            #"{"v":1,"type":"ping"}"#,
            #"{"v":1,"type":"ping","id":""}"#,
            #"{"v":1,"type":"hand.wave","id":"c1"}"#,
            #"{"v":1,"type":"chat.send","id":"c1"}"#,
            #"{"v":1,"type":"chat.send","id":"c1","text":5}"#,
            #"{"v":1,"type":"chat.delete","id":"c1","message":"5"}"#,
            #"{"v":1,"type":1,"id":"c1"}"#,
            #"{"v":1,"type":"ping","id":7}"#,
        ]
        for text in texts {
            #expect(FlatObjectReader.members(of: text) != nil, "\(text)")
            #expect(ClientMessageDecoder.decode(text).failure != nil, "\(text)")
            #expect(ClientMessageDecoder.decode(text) == ClientMessageDecoder.decodeGeneral(text), "\(text)")
        }
    }
}
