/// How the product sorts the Unicode scalars of text people send one another:
/// which draw nothing (for "is this text empty?"), which may not appear in an
/// alias, and which must not reach a terminal as they are. One place, so the
/// server's rules and the client's screen agree.
public enum TextScalar {
    /// U+2800 BRAILLE PATTERN BLANK: a letter-like character that draws as a blank
    /// and is neither whitespace nor default-ignorable.
    static let brailleBlank: UInt32 = 0x2800
    /// U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER: format characters
    /// that scripts (Persian, Indic) and emoji sequences need to look right.
    static let joiners: ClosedRange<UInt32> = 0x200C...0x200D
    /// Tag characters, shown only inside an emoji flag sequence (🏴 + tags).
    static let tags: ClosedRange<UInt32> = 0xE0020...0xE007F
    /// U+1F3F4 WAVING BLACK FLAG, the base of the subdivision flag sequences.
    static let blackFlag: UInt32 = 0x1F3F4

    /// A control character (Unicode category Cc): C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }

    /// A bidirectional control (the Unicode Bidi_Control property): U+061C,
    /// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069. They reorder the text around
    /// them, so a name or message can display as something it is not.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isBidiControl
    }

    /// A format character (category Cf: zero-width space and joiners, bidi
    /// controls, soft hyphen, word joiner, byte order mark, tags…), or a line or
    /// paragraph separator (U+2028, U+2029).
    public static func isFormatOrSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// Draws nothing: whitespace (White_Space), controls, format characters,
    /// default-ignorable code points (variation selectors, Hangul fillers,
    /// combining grapheme joiner…) and U+2800 BRAILLE PATTERN BLANK. A text made
    /// only of these is empty.
    public static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return properties.isWhitespace || properties.isDefaultIgnorableCodePoint || isControl(scalar)
            || isFormatOrSeparator(scalar) || scalar.value == brailleBlank
    }

    /// Whether `text` has at least one scalar that draws something.
    public static func hasVisibleCharacter(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.contains { !isInvisible($0) }
    }

    /// Whether a scalar of `character` must be neutralised before it reaches a
    /// terminal: controls, line and paragraph separators, and format characters
    /// (bidi controls included), except the two joiners (U+200C, U+200D) and tag
    /// characters inside an emoji flag sequence, which draw as part of their
    /// character.
    public static func isUnsafeOnScreen(_ scalar: Unicode.Scalar, in character: Character) -> Bool {
        if isControl(scalar) { return true }
        guard isFormatOrSeparator(scalar) else { return false }
        if joiners.contains(scalar.value) { return false }
        if tags.contains(scalar.value) { return character.unicodeScalars.first?.value != blackFlag }
        return true
    }
}
