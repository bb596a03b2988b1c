import TestSupportCore
import Testing
import WebSocketCore

struct UTF8Case: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var testDescription: String { name }
}

let validUTF8: [UTF8Case] = [
    UTF8Case(name: "empty", bytes: []),
    UTF8Case(name: "ASCII", bytes: Array("Hello, world! 0123456789 ~\u{7F}".utf8)),
    UTF8Case(name: "NUL", bytes: [0x00]),
    UTF8Case(name: "2-byte U+0080", bytes: [0xC2, 0x80]),
    UTF8Case(name: "2-byte U+07FF", bytes: [0xDF, 0xBF]),
    UTF8Case(name: "3-byte U+0800", bytes: [0xE0, 0xA0, 0x80]),
    UTF8Case(name: "3-byte U+D7FF", bytes: [0xED, 0x9F, 0xBF]),
    UTF8Case(name: "3-byte U+E000", bytes: [0xEE, 0x80, 0x80]),
    UTF8Case(name: "3-byte U+FFFD", bytes: [0xEF, 0xBF, 0xBD]),
    UTF8Case(name: "3-byte U+FFFE", bytes: [0xEF, 0xBF, 0xBE]),
    UTF8Case(name: "3-byte U+FFFF", bytes: [0xEF, 0xBF, 0xBF]),
    UTF8Case(name: "4-byte U+10000", bytes: [0xF0, 0x90, 0x80, 0x80]),
    UTF8Case(name: "4-byte U+FFFFF", bytes: [0xF3, 0xBF, 0xBF, 0xBF]),
    UTF8Case(name: "4-byte U+100000", bytes: [0xF4, 0x80, 0x80, 0x80]),
    UTF8Case(name: "4-byte U+10FFFF", bytes: [0xF4, 0x8F, 0xBF, 0xBF]),
    UTF8Case(name: "Autobahn 6.2 (κόσμε)", bytes: Array("Hello-µ@ßöäüàá-UTF-8!!κόσμε".utf8)),
    UTF8Case(name: "mixed", bytes: Array("aé€😀👩‍👩‍👧 z".utf8)),
    UTF8Case(
        name: "long ASCII run then 4-byte",
        bytes: Array(repeating: 0x41, count: 37) + [0xF0, 0x9F, 0x98, 0x80]),
]

let invalidUTF8: [UTF8Case] = [
    UTF8Case(name: "overlong 2-byte /", bytes: [0xC0, 0xAF]),
    UTF8Case(name: "overlong 2-byte C1", bytes: [0xC1, 0xBF]),
    UTF8Case(name: "overlong 3-byte /", bytes: [0xE0, 0x80, 0xAF]),
    UTF8Case(name: "overlong 3-byte U+07FF", bytes: [0xE0, 0x9F, 0xBF]),
    UTF8Case(name: "overlong 4-byte", bytes: [0xF0, 0x80, 0x80, 0xAF]),
    UTF8Case(name: "overlong 4-byte U+FFFF", bytes: [0xF0, 0x8F, 0xBF, 0xBF]),
    UTF8Case(name: "surrogate U+D800", bytes: [0xED, 0xA0, 0x80]),
    UTF8Case(name: "surrogate U+DFFF", bytes: [0xED, 0xBF, 0xBF]),
    UTF8Case(name: "surrogate pair", bytes: [0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80]),
    UTF8Case(name: "U+110000", bytes: [0xF4, 0x90, 0x80, 0x80]),
    UTF8Case(name: "F5 lead", bytes: [0xF5, 0x80, 0x80, 0x80]),
    UTF8Case(name: "F8 lead", bytes: [0xF8, 0x88, 0x80, 0x80, 0x80]),
    UTF8Case(name: "FE", bytes: [0xFE]),
    UTF8Case(name: "FF", bytes: [0xFF]),
    UTF8Case(name: "stray continuation", bytes: [0x80]),
    UTF8Case(name: "stray continuation after ASCII", bytes: [0x61, 0xBF]),
    UTF8Case(name: "truncated 2-byte", bytes: [0xC2]),
    UTF8Case(name: "truncated 3-byte", bytes: [0x61, 0xE2, 0x82]),
    UTF8Case(name: "truncated 4-byte", bytes: [0xF0, 0x9F, 0x98]),
    UTF8Case(name: "lead then ASCII", bytes: [0xE2, 0x41, 0x41]),
    UTF8Case(
        name: "Autobahn 6.3 κόσμε + surrogate",
        bytes: Array("κόσμε".utf8) + [0xED, 0xA0, 0x80] + Array("edited".utf8)),
    UTF8Case(
        name: "bad byte after 8 ASCII", bytes: Array(repeating: 0x41, count: 8) + [0xC0, 0x80]),
]

@Suite struct UTF8ValidatorTests {
    /// Validates `bytes` in chunks of `sizes`: the answer for the whole sequence.
    private func streamed(_ bytes: [UInt8], sizes: [Int]) -> Bool {
        var validator = UTF8Validator()
        var start = 0
        for size in sizes {
            guard validator.validate(bytes[start..<(start + size)]) else { return false }
            start += size
        }
        return validator.isComplete
    }

    @Test(arguments: validUTF8)
    func validSequencesAreAccepted(_ utf8: UTF8Case) {
        #expect(UTF8Validator.isValid(utf8.bytes))
        for (name, sizes) in chunkings(count: utf8.bytes.count) {
            #expect(streamed(utf8.bytes, sizes: sizes), "\(name)")
        }
        let text = String(decoding: utf8.bytes, as: UTF8.self)
        #expect(receiveAllChunkings(clientFrame(.text, utf8.bytes)) == [.deliver(.text(text))])
    }

    @Test(arguments: invalidUTF8)
    func invalidSequencesAreRefused(_ utf8: UTF8Case) {
        #expect(!UTF8Validator.isValid(utf8.bytes))
        for (name, sizes) in chunkings(count: utf8.bytes.count) {
            #expect(!streamed(utf8.bytes, sizes: sizes), "\(name)")
        }
        expectFailure(receiveAllChunkings(clientFrame(.text, utf8.bytes)), .invalidUTF8, code: 1007)
        // Binary messages are not validated.
        #expect(
            receiveAllChunkings(clientFrame(.binary, utf8.bytes)) == [.deliver(.binary(utf8.bytes))]
        )
    }

    @Test func codePointSplitAcrossFragmentsIsAccepted() {
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        let grin: [UInt8] = [0xF0, 0x9F, 0x98, 0x80]
        for cut in 1..<3 {
            let bytes =
                clientFrame(.text, [0x61] + euro.prefix(cut), fin: false)
                + clientFrame(.continuation, Array(euro.dropFirst(cut)))
            #expect(receiveAllChunkings(bytes) == [.deliver(.text("a€"))])
        }
        // Across three fragments, one byte each.
        let bytes =
            clientFrame(.text, [grin[0]], fin: false)
            + clientFrame(.continuation, [grin[1]], fin: false)
            + clientFrame(.continuation, [grin[2]], fin: false)
            + clientFrame(.continuation, [grin[3]])
        #expect(receiveAllChunkings(bytes) == [.deliver(.text("😀"))])
    }

    @Test func truncatedCodePointAtMessageEndFails() {
        let bytes =
            clientFrame(.text, [0x61, 0xE2, 0x82], fin: false) + clientFrame(.continuation, [])
        expectFailure(receiveAllChunkings(bytes), .invalidUTF8, code: 1007)
    }

    @Test func failsFastInTheFirstOfThreeFragments() {
        let first = clientFrame(.text, [0x48, 0x69, 0xC0, 0xAF], fin: false)
        let rest =
            clientFrame(.continuation, Array("there".utf8), fin: false)
            + clientFrame(.continuation, [0x21])
        var harness = Harness(role: .server)
        expectFailure(harness.feed(first), .invalidUTF8, code: 1007)
        #expect(harness.machine.isClosed)
        #expect(harness.feed(rest) == [])
    }

    @Test func failsFastInsideASingleFrame() {
        // 200-byte text frame whose byte 3 is invalid: only the header and 4 payload bytes are fed.
        var payload = [UInt8](repeating: 0x61, count: 200)
        payload[3] = 0xFF
        let frame = clientFrame(.text, payload)
        let header = FrameEncoder.headerLength(payloadCount: 200, masked: true)
        var harness = Harness(role: .server)
        #expect(harness.feed(frame.prefix(header + 3)) == [])
        expectFailure(harness.feed(frame[(header + 3)..<(header + 4)]), .invalidUTF8, code: 1007)
        // Same in one read of the first bytes.
        var oneRead = Harness(role: .server)
        expectFailure(oneRead.feed(frame.prefix(header + 4)), .invalidUTF8, code: 1007)
    }

    @Test func failsFastOnAByteThatCanNeverComplete() {
        // 0xF4 0x90 can never start a valid sequence: fail at 0x90, before the frame ends.
        let frame = clientFrame(.text, [0xF4, 0x90, 0x80, 0x80, 0x61, 0x61])
        var harness = Harness(role: .server)
        #expect(harness.feed(frame.prefix(7)) == [])
        expectFailure(harness.feed(frame[7..<8]), .invalidUTF8, code: 1007)
    }

    // MARK: Against the standard library

    private func reference(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    @Test func everyOneAndTwoByteSequenceAgreesWithTheStandardLibrary() {
        for first in 0...255 {
            #expect(UTF8Validator.isValid([UInt8(first)]) == reference([UInt8(first)]), "\(first)")
            for second in 0...255 {
                let bytes = [UInt8(first), UInt8(second)]
                if UTF8Validator.isValid(bytes) != reference(bytes) {
                    Issue.record("disagreement on \(bytes)")
                }
            }
        }
    }

    @Test func threeAndFourByteBoundariesAgreeWithTheStandardLibrary() {
        // Every lead that starts a 3- or 4-byte form (or can never start one), every
        // second byte, and the continuation-range edges for the bytes after it.
        let edges: [UInt8] = [0x41, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0]
        for lead in 0xE0...0xFF {
            for second in 0...255 {
                for third in edges {
                    let three = [UInt8(lead), UInt8(second), third]
                    if UTF8Validator.isValid(three) != reference(three) {
                        Issue.record("disagreement on \(three)")
                    }
                    guard lead >= 0xF0 && lead <= 0xF7 else { continue }
                    for fourth in [UInt8(0x80), 0xBF, 0x41] {
                        let four = three + [fourth]
                        if UTF8Validator.isValid(four) != reference(four) {
                            Issue.record("disagreement on \(four)")
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: propertySeeds)
    func randomBytesAgreeWithTheStandardLibrary(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<1500 {
            // Valid text, then mutated: flipped bytes, inserted bytes, truncation, or pure noise.
            var bytes = Array(rng.text(utf8Count: Int.random(in: 0...40, using: &rng)).utf8)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: break
            case 1 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(
                    in: 0...255, using: &rng)
            case 2:
                bytes.insert(
                    UInt8.random(in: 0x80...0xFF, using: &rng),
                    at: Int.random(in: 0...bytes.count, using: &rng))
            case 3 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 1...min(3, bytes.count), using: &rng))
            default: bytes = rng.bytes(Int.random(in: 0...12, using: &rng))
            }
            let expected = reference(bytes)
            let streamedResult = streamed(bytes, sizes: rng.chunkSizes(total: bytes.count))
            if UTF8Validator.isValid(bytes) != expected || streamedResult != expected {
                Issue.record("seed \(seed): \(bytes) should be \(expected ? "valid" : "invalid")")
                return
            }
        }
    }
}
