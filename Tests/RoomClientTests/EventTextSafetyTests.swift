import RoomClient
import RoomCore
import RoomProtocol
import Testing

/// What line mode (and the pane) prints for other people's text (issue 18, item 6):
/// the speaker's role on every chat line, no line a message can forge, and no
/// control, bidi or format character reaching the terminal.
@Suite struct EventTextSafetyTests {
    static func chat(
        _ id: UInt64, _ alias: String, _ role: Role, _ text: String, scope: MessageScope = .group
    ) -> ServerMessage {
        .event(
            sequence: id, time: 0,
            .message(
                ChatMessage(
                    id: MessageID(id), from: MemberID(alias.lowercased()), alias: alias, role: role, scope: scope,
                    text: ConfidentialText(text), sentAt: Timestamp(millisecondsSinceEpoch: 0))))
    }

    static func lines(_ message: ServerMessage) -> [String] { EventText.lines(for: message, in: RoomViewModel()) }

    @Test func everyChatLineSaysWhetherAFacilitatorSpoke() {
        #expect(
            Self.lines(Self.chat(12, "Dana", .facilitator, "Welcome, everyone.")) == [
                "[12] Dana [facilitator]: Welcome, everyone."
            ])
        #expect(Self.lines(Self.chat(13, "River", .participant, "Hi.")) == ["[13] River: Hi."])
        #expect(
            Self.lines(Self.chat(14, "Dana", .facilitator, "ok?", scope: .direct(to: "river"))) == [
                "[14] Dana [facilitator] → river: ok?"
            ])
        #expect(
            Self.lines(Self.chat(15, "Dana", .facilitator, "note", scope: .backChannel)) == [
                "[15] Dana [facilitator] (back channel): note"
            ])
    }

    @Test func aParticipantCannotWriteTheMarker() {
        let fake = Self.lines(Self.chat(16, "Dana [facilitator]", .participant, "Share your address with me."))
        #expect(fake == ["[16] Dana (facilitator): Share your address with me."])
        #expect(!fake[0].contains("[facilitator]"))
    }

    @Test func aMessageCannotForgeALineOfItsOwn() {
        let forged = Self.lines(
            Self.chat(17, "River", .participant, "see you\n[18] Dana [facilitator]: River, call me at this number"))
        #expect(forged.count == 2)
        #expect(forged[0] == "[17] River: see you")
        #expect(forged[1].hasPrefix("  | "))
        #expect(!forged.dropFirst().contains { $0.hasPrefix("[") })
        let carriage = Self.lines(Self.chat(19, "River", .participant, "x\r[20] Dana [facilitator]: y"))
        #expect(carriage == ["[19] River: x\u{FFFD}[20] Dana [facilitator]: y"])
    }

    /// Each row: a character that must never reach the terminal as it is.
    static let neutralised: [(String, Unicode.Scalar)] = [
        ("RIGHT-TO-LEFT OVERRIDE", "\u{202E}"), ("LEFT-TO-RIGHT OVERRIDE", "\u{202D}"),
        ("LEFT-TO-RIGHT EMBEDDING", "\u{202A}"), ("RIGHT-TO-LEFT EMBEDDING", "\u{202B}"),
        ("POP DIRECTIONAL FORMATTING", "\u{202C}"), ("LEFT-TO-RIGHT ISOLATE", "\u{2066}"),
        ("RIGHT-TO-LEFT ISOLATE", "\u{2067}"), ("FIRST STRONG ISOLATE", "\u{2068}"),
        ("POP DIRECTIONAL ISOLATE", "\u{2069}"), ("LEFT-TO-RIGHT MARK", "\u{200E}"),
        ("RIGHT-TO-LEFT MARK", "\u{200F}"), ("ARABIC LETTER MARK", "\u{061C}"), ("ZERO WIDTH SPACE", "\u{200B}"),
        ("WORD JOINER", "\u{2060}"), ("BYTE ORDER MARK", "\u{FEFF}"), ("SOFT HYPHEN", "\u{00AD}"),
        ("LINE SEPARATOR", "\u{2028}"), ("PARAGRAPH SEPARATOR", "\u{2029}"), ("ESCAPE", "\u{1B}"),
        ("BELL", "\u{07}"), ("DELETE", "\u{7F}"), ("CSI (C1)", "\u{9B}"), ("NEXT LINE (C1)", "\u{85}"),
        ("a lone TAG LATIN SMALL LETTER A", "\u{E0061}"),
    ]

    @Test(arguments: neutralised.map(\.0))
    func formatAndControlCharactersAreNeutralised(_ name: String) throws {
        let scalar = try #require(Self.neutralised.first { $0.0 == name }?.1)
        let text = "abc\(scalar)def"
        #expect(text.safeForTerminal == "abc\u{FFFD}def")
        let printed = Self.lines(Self.chat(21, "River\(scalar)", .participant, text)).joined(separator: "\n")
        #expect(!printed.unicodeScalars.contains(scalar))
        #expect(printed.contains("abc\u{FFFD}def"))
    }

    @Test func joinersAndEmojiSequencesStayWhole() {
        for text in ["👨‍👩‍👧‍👦", "👩🏽‍🤝‍👩🏿", "🏳️‍🌈", "🏴󠁧󠁢󠁥󠁮󠁧󠁿", "می‌خواهم", "नमस्ते", "e\u{301}", "plain"] {
            #expect(text.safeForTerminal == text)
        }
        #expect("a\tb".safeForTerminal == "a b")
    }
}

/// A token refused for its alias is told in words (PROTOCOL: 403 `invalid_alias`).
@Suite struct AliasRefusalTextTests {
    @Test func theRefusalNamesTheProblem() {
        let failure = ClientFailure.refused(status: 403, code: "invalid_alias")
        #expect(failure.summary == "The name on your join token cannot be shown in the room.")
        #expect(failure.advice.contains("new invitation"))
    }
}
