import RoomCore
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

    @Test func altKeysAreEscapeThenACharacter() {
        var decoder = KeyDecoder()
        var keys: [Key] = []
        for byte in Array("\u{1B}a\u{1B}d\u{1B}[B".utf8) { keys += decoder.decode([byte]) }
        #expect(keys == [.alt("a"), .alt("d"), .down])
    }

    @Test func waitingListAdmitsAndDeclinesWithConfirmation() {
        let waiting = ["river", "sky", "robin"].map {
            WaitingEntry(
                member: MemberID($0), alias: $0.capitalized, since: Timestamp(millisecondsSinceEpoch: 0),
                reconnecting: false)
        }
        var keys = WaitingListKeys()
        keys.follow(waiting)
        #expect(keys.selection(in: waiting)?.member == "river", "the first waiting person by default")
        #expect(keys.handle(.alt("a"), waiting: waiting) == .some(.admit("river")))
        #expect(keys.handle(.alt("n"), waiting: waiting) == .some(nil))
        #expect(keys.selection(in: waiting)?.member == "sky")
        #expect(keys.handle(.alt("p"), waiting: waiting) == .some(nil))
        #expect(keys.handle(.alt("p"), waiting: waiting) == .some(nil), "wraps around")
        #expect(keys.selection(in: waiting)?.member == "robin")
        #expect(keys.handle(.alt("d"), waiting: waiting) == .some(.confirmDecline("robin", alias: "Robin")))
        #expect(keys.handle(.character("x"), waiting: waiting) == nil, "typing goes to the input line")
        #expect(keys.pendingDecline == nil, "and cancels the pending decline")
        #expect(keys.handle(.alt("d"), waiting: waiting) == .some(.confirmDecline("robin", alias: "Robin")))
        #expect(keys.handle(.alt("d"), waiting: waiting) == .some(.decline("robin")), "the second Alt-d confirms")
        let left = Array(waiting.prefix(2))
        #expect(keys.follow(left)?.selected?.member == "sky", "a selected person who left: the one before them")
        #expect(keys.handle(.alt("a"), waiting: []) == nil, "nothing to do with an empty list")
    }
}
