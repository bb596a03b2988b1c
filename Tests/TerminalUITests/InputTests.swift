import Testing

@testable import TerminalUI

/// Key decoding and the input line.
struct InputTests {
    @Test func keysAreDecodedAcrossSplits() {
        var decoder = KeyDecoder()
        let bytes: [UInt8] = Array("a\u{1B}[A\u{1B}[5~\u{1B}[6~\u{1B}[3~\t\r".utf8) + [0x7F, 0x03] + Array("é美".utf8)
        var keys: [Key] = []
        for byte in bytes { keys += decoder.decode([byte]) }
        #expect(
            keys == [
                .character("a"), .up, .pageUp, .pageDown, .delete, .tab, .enter, .backspace, .control("c"),
                .character("é"), .character("美"),
            ])
        #expect(decoder.decode([0x1B], flush: true) == [.escape])
    }

    @Test func editingHistoryAndCompletion() {
        var editor = LineEditor()
        for key in "helo" { _ = editor.handle(.character(key)) }
        _ = editor.handle(.left)
        _ = editor.handle(.character("l"))
        #expect(editor.handle(.enter) == "hello")
        for key in "/adm" { _ = editor.handle(.character(key)) }
        _ = editor.handle(.tab, completions: ["/admit", "/ack", "River"])
        #expect(editor.line == "/admit ")
        for key in "ri" { _ = editor.handle(.character(key)) }
        _ = editor.handle(.tab, completions: ["/admit", "River", "Robin"])
        #expect(editor.line == "/admit River ")
        _ = editor.handle(.control("u"))
        _ = editor.handle(.up)
        #expect(editor.line == "hello")
        _ = editor.handle(.down)
        #expect(editor.line == "")
    }
}
