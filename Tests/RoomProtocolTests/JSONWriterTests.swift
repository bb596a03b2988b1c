import Foundation
import Testing

@testable import RoomProtocol

/// The writer's string escaping (RFC 8259 §7), byte for byte, and back through
/// Foundation's decoder: escapes at the start, the end, side by side and between
/// runs of plain text, every C0 control, and multi-byte UTF-8 left as it is.
@Suite struct JSONWriterTests {
    @Test(arguments: [
        ("", #""""#),
        ("plain text", #""plain text""#),
        ("\"quoted\"", #""\"quoted\"""#),
        ("back\\slash", #""back\\slash""#),
        ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("\u{7F} é 🙂", "\"\u{7F} é 🙂\""),
        ("\\\"\n", #""\\\"\n""#),
    ])
    func stringsAreEscapedExactly(text: String, expected: String) {
        #expect(JSONWriter.string(.string(text)) == expected)
    }

    @Test func everyControlCharacterRoundTrips() throws {
        var text = "start "
        for scalar in 0..<0x20 { text.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        text += " middle \"\\ end 🙂"
        let written = JSONWriter.string(.array([.string(text), .string(text + text)]))
        let decoded = try JSONDecoder().decode([String].self, from: Data(written.utf8))
        #expect(decoded == [text, text + text])
        #expect(!written.utf8.contains { $0 < 0x20 }, "no raw control byte may reach the wire")
    }
}
