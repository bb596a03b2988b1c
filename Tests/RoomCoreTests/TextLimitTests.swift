import RoomCore
import Testing

/// Limits count bytes as well as characters, and emptiness ignores what draws nothing
/// (issue 18, item 5): one table, run against the pure rule and through every
/// command that carries text.
@Suite("Text limits: characters, bytes, code points per character, emptiness")
struct TextLimitTests {
    /// A text, the room's answer to it as chat (limit 2000 characters) and as the
    /// check-in `word` of the mood template (limit 30 characters).
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let chat: RoomError?
        let word: Bool
        var testDescription: String { name }
    }

    static let family = "👨‍👩‍👧‍👦"  // 7 code points, 25 bytes, one character
    static let kiss = "👩🏻‍❤️‍💋‍👨🏼"  // 10 code points, 35 bytes, one character

    static let cases: [Case] = [
        Case(name: "plain text", text: "Glad to be here tonight.", chat: nil, word: false),
        Case(name: "one word", text: "hopeful", chat: nil, word: true),
        Case(
            name: "text with emoji ZWJ sequences and skin tones",
            text: "Us tonight \(family) \(kiss) 👍🏽 🏳️‍🌈 thanks", chat: nil, word: false),
        Case(name: "a word that is one ZWJ sequence", text: family, chat: nil, word: true),
        Case(
            name: "a word of ten skin-toned emoji (80 bytes)", text: String(repeating: "👍🏽", count: 10), chat: nil,
            word: true),
        Case(name: "Devanagari", text: "नमस्ते मैं ठीक हूँ", chat: nil, word: false),
        Case(
            name: "zalgo: a plus 20,000 combining marks (40 KB, one character)",
            text: "a" + String(repeating: "\u{0301}", count: 20_000), chat: .messageTooLong, word: false),
        Case(
            name: "zalgo within the byte bound: a plus 40 marks a character",
            text: String(repeating: "a" + String(repeating: "\u{0301}", count: 40), count: 3), chat: .messageTooLong,
            word: false),
        Case(
            name: "a word of 30 characters of 16 code points each (930 bytes)",
            text: String(repeating: "e" + String(repeating: "\u{0300}", count: 15), count: 30), chat: nil,
            word: false),
        Case(
            name: "a 10 KB word", text: "w" + String(repeating: "\u{0308}", count: 5_000), chat: .messageTooLong,
            word: false),
        Case(
            name: "zero-width characters only", text: "\u{200B}\u{200C}\u{200D}\u{2060}\u{FEFF}", chat: .emptyMessage,
            word: false),
        Case(name: "right-to-left override only", text: "\u{202E}", chat: .emptyMessage, word: false),
        Case(
            name: "bidi controls and spaces only", text: " \u{202E}\u{2066}\u{200F} \u{061C}\u{2069} ",
            chat: .emptyMessage, word: false),
        Case(
            name: "fillers and blanks only", text: "\u{3164}\u{2800}\u{00AD}\u{FE0F}\u{034F}", chat: .emptyMessage,
            word: false),
        Case(name: "whitespace only", text: " \n\t\u{00A0}\u{3000}", chat: .emptyMessage, word: false),
        Case(name: "empty", text: "", chat: .emptyMessage, word: false),
        Case(name: "2001 characters", text: String(repeating: "a", count: 2001), chat: .messageTooLong, word: false),
        Case(
            name: "1009 characters over the byte bound (8065 bytes)",
            text: String(repeating: "👍🏽", count: 1008) + "a", chat: .messageTooLong, word: false),
        Case(
            name: "2000 characters of one code point each (8000 bytes)",
            text: String(repeating: "😀", count: 2000), chat: nil, word: false),
    ]

    @Test(arguments: cases)
    func chatOfEveryScope(_ test: Case) {
        var h = Harness.session(["p1"])
        h.send(.openSideRoom(with: "p1"), from: "f1")
        let sideRoom = h.send(.sideRoomMessage(text(test.text)), from: "p1").refusals
        h.send(.closeSideRoom(with: "p1"), from: "f1")
        let answers: [[RoomError]] = [
            h.send(.sendChat(text(test.text)), from: "p1").refusals,
            h.send(.messageFacilitators(text(test.text)), from: "p1").refusals,
            h.send(.privateMessage(to: "f1", text(test.text)), from: "p1").refusals,
            h.send(.privateMessage(to: "p1", text(test.text)), from: "f1").refusals,
            h.send(.backChannel(text(test.text)), from: "f1").refusals,
            sideRoom,
        ]
        let expected = test.chat.map { [$0] } ?? []
        #expect(answers == Array(repeating: expected, count: answers.count))
    }

    @Test(arguments: cases)
    func checkInWord(_ test: Case) {
        var h = Harness.session(["p1"])
        h.send(.startCheckIn(templateID: "mood", timeout: nil), from: "f1")
        let answer = CheckInAnswer(["mood": .score(5), "word": .text(text(test.text))])
        let refusals = h.send(.answerCheckIn(answer), from: "p1").refusals
        #expect(refusals == (test.word ? [] : [.invalidAnswer]))
    }

    @Test func checkInFreeTextCountsBytesToo() {
        var h = Harness.session(["p1", "p2"])
        h.send(.startCheckIn(templateID: "rose-thorn", timeout: nil), from: "f1")
        // 280 characters of 16 code points each: 8,680 bytes.
        let heavy = String(repeating: "o" + String(repeating: "\u{0323}", count: 15), count: 280)
        let refused = CheckInAnswer(["rose": .text(text(heavy)), "thorn": .text(text("rain"))])
        #expect(h.send(.answerCheckIn(refused), from: "p1").refusals == [.invalidAnswer])
        let blank = CheckInAnswer(["rose": .text(text("\u{200B}")), "thorn": .text(text("rain"))])
        #expect(h.send(.answerCheckIn(blank), from: "p1").refusals == [.invalidAnswer])
        let fine = CheckInAnswer(["rose": .text(text("a walk 🌳 with \(Self.family)")), "thorn": .text(text("rain"))])
        #expect(h.send(.answerCheckIn(fine), from: "p2").refusals.isEmpty)
    }

    @Test func theRuleItself() {
        let limit = TextLimit(characters: 10)
        #expect(limit.maxBytes == 104)
        #expect(limit.check("0123456789") == .accepted)
        #expect(limit.check("0123456789A") == .tooManyCharacters)
        #expect(limit.check(String(repeating: "a", count: 105)) == .tooManyBytes)
        #expect(limit.check("a" + String(repeating: "\u{0301}", count: 16)) == .characterTooComplex)
        #expect(limit.check("a" + String(repeating: "\u{0301}", count: 15)) == .accepted)
        #expect(limit.check("\u{202E}\u{200B}") == .empty)
        #expect(TextLimit(characters: Int.max).maxBytes == Int.max)
        #expect(TextLimit(characters: -3) == TextLimit(maxCharacters: 0, maxBytes: 64))
    }
}
