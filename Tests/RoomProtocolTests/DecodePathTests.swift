import RoomCore
import Testing

@_spi(Testing) @testable import RoomProtocol

/// The two reads of a client message, the flat one (``FlatObjectReader``) and the general
/// one (`JSONDecoder`, ``ClientMessageDecoder/decodeGeneral(_:maxBytes:)``), give the same
/// result for every text.
@Suite("The flat and the general read of commands agree")
struct DecodePathTests {
    @Test("every sample command, as the encoder writes it, decodes the same on both reads", arguments: Samples.commands)
    func samplesAgree(_ command: Command) throws {
        let text = ClientMessageEncoder.encode(ClientEnvelope(id: "c-1", command: command))
        #expect(ClientMessageDecoder.decode(text) == ClientMessageDecoder.decodeGeneral(text))
        #expect(try ClientMessageDecoder.decode(text).get() == ClientEnvelope(id: "c-1", command: command))
    }

    @Test("a bad message gives the same error on both paths", arguments: BadInputTests.table)
    func badInputAgrees(_ input: BadInput) {
        let fast = ClientMessageDecoder.decode(input.text, maxBytes: input.maxBytes)
        #expect(fast == ClientMessageDecoder.decodeGeneral(input.text, maxBytes: input.maxBytes))
    }

    @Test("the first of repeated keys wins on both reads, and a repeated key takes the general read")
    func duplicateKeys() throws {
        let cases: [(String, ClientEnvelope)] = [
            (
                #"{"v":1,"id":"c1","type":"chat.send","text":"first","text":"second"}"#,
                ClientEnvelope(id: "c1", command: .sendChat("first"))
            ),
            (
                #"{"v":1,"id":"c1","type":"chat.send","text":"first","text":2}"#,
                ClientEnvelope(id: "c1", command: .sendChat("first"))
            ),
            (
                #"{"v":1,"id":"c1","id":"c2","type":"hand.raise"}"#,
                ClientEnvelope(id: "c1", command: .raiseHand)
            ),
            (
                #"{"v":1,"id":"c1","type":"hand.raise","type":"hand.lower"}"#,
                ClientEnvelope(id: "c1", command: .raiseHand)
            ),
            (
                #"{"v":1,"v":2,"id":"c1","type":"ping"}"#,
                ClientEnvelope(id: "c1", command: .ping)
            ),
            (
                #"{"v":1,"id":"c1","type":"chat.private","to":"m-1","te\u0078t":"hi","text":"again"}"#,
                ClientEnvelope(id: "c1", command: .privateMessage(to: "m-1", "hi"))
            ),
        ]
        for (text, expected) in cases {
            #expect(FlatObjectReader.members(of: text) == nil, "\(text)")
            #expect(try ClientMessageDecoder.decode(text).get() == expected, "\(text)")
            #expect(ClientMessageDecoder.decode(text) == ClientMessageDecoder.decodeGeneral(text), "\(text)")
        }
        // A first null counts as absent on both paths; the repeated key is not looked at.
        let nullFirst = #"{"v":1,"id":"c1","type":"chat.send","text":null,"text":"second"}"#
        #expect(ClientMessageDecoder.decode(nullFirst).failureCode == "missing_field")
        #expect(ClientMessageDecoder.decode(nullFirst) == ClientMessageDecoder.decodeGeneral(nullFirst))
        // The version the general path sees first decides, even when a repeat would pass.
        let badFirst = #"{"v":2,"v":1,"id":"c1","type":"ping"}"#
        #expect(ClientMessageDecoder.decode(badFirst).failureCode == "unsupported_version")
        #expect(ClientMessageDecoder.decode(badFirst) == ClientMessageDecoder.decodeGeneral(badFirst))
    }

    @Test("an unknown, null or odd member gives the same result on both reads")
    func generalReadCases() {
        let texts = [
            #"{"v":1,"id":"c1","type":"hand.raise","future":1}"#,
            #"{"v":1,"id":"c1","type":"hand.raise","future":"\ud800"}"#,
            #"{"v":1,"id":"c1","type":"hand.raise","future":"\x"}"#,
            #"{"v":1,"id":"c1","type":"hand.raise","future":1e999}"#,
            #"{"v":1,"id":"c1","type":"hand.raise","text":"\ud800"}"#,
            #"{"v":1,"id":"c1","type":"floor.give","member":null}"#,
            #"{"v":1,"id":"c1","type":"hand.wave"}"#,
            #"{"v":"1","id":"c1","type":"ping"}"#,
            #"{"v":1,"id":"c1","type":"chat.delete","message":18446744073709551615}"#,
        ]
        for text in texts {
            #expect(ClientMessageDecoder.decode(text) == ClientMessageDecoder.decodeGeneral(text), "\(text)")
        }
    }

    @Test("numbers the general read reads as integers decode as the flat read's integers do")
    func numberSpellings() throws {
        for version in ["1", "1.0", "1e0", "1E0", "10e-1", "0.1e1", "100e-2"] {
            let text = #"{"v":"# + version + #","id":"c1","type":"ping"}"#
            #expect(try ClientMessageDecoder.decode(text).get() == ClientEnvelope(id: "c1", command: .ping))
            #expect(ClientMessageDecoder.decode(text) == ClientMessageDecoder.decodeGeneral(text))
        }
        for version in ["-0", "2", "1.5", "true", "null", "[1]"] {
            let text = #"{"v":"# + version + #","id":"c1","type":"ping"}"#
            #expect(ClientMessageDecoder.decode(text).failure != nil, "\(version)")
            #expect(ClientMessageDecoder.decode(text) == ClientMessageDecoder.decodeGeneral(text), "\(version)")
        }
    }

    @Test("generated messages, valid and subtly broken, decode the same on both reads")
    func generatedMessagesAgree() {
        var failed = 0
        var flat = 0
        var flatFailures = 0
        let count = 4000
        for seed: UInt64 in [1, 2, 3, 0x5EED] {
            var generator = CommandTextGenerator(random: SeededGenerator(seed: seed))
            for index in 0..<count {
                let text = generator.next()
                let fast = ClientMessageDecoder.decode(text)
                let general = ClientMessageDecoder.decodeGeneral(text)
                #expect(fast == general, "seed \(seed), message \(index): \(text)")
                if case .failure = fast { failed += 1 }
                if FlatObjectReader.members(of: text) != nil {
                    flat += 1
                    if case .failure = fast { flatFailures += 1 }
                }
            }
        }
        // The generator must exercise both reads and both outcomes, the flat read with
        // valid and with wrong fields.
        #expect(failed > 2000)
        #expect(failed < 3 * count)
        #expect(flat > 1000)
        #expect(flatFailures > 100)
    }

    @Test("nesting is refused past 32 levels before decoding; brackets in strings do not count")
    func depth() throws {
        let deepest = String(repeating: "[", count: 32) + String(repeating: "]", count: 32)
        #expect(JSONValue.parse(deepest) != .failure(.tooDeep))
        #expect(JSONValue.parse("[" + deepest + "]") == .failure(.tooDeep))
        #expect(JSONValue.parse(BadInputTests.deep) == .failure(.tooDeep))
        let brackets = String(repeating: "[{", count: 40)
        let inStrings = #"{"a":""# + brackets + #"\"]}"}"#
        #expect(JSONValue.parse(inStrings) == .success(.object([("a", .string(brackets + #""]}"#))])))
        let text = #"{"v":1,"id":"c1","type":"chat.send","text":""# + brackets + #"\""}"#
        let command = Command.sendChat(ConfidentialText(brackets + "\""))
        #expect(try ClientMessageDecoder.decodeGeneral(text).get() == ClientEnvelope(id: "c1", command: command))
    }
}
