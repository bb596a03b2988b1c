/// The one rule for the size of text a member sends (chat of every scope,
/// check-in words and free text, aliases): a bound on characters (grapheme
/// clusters, what a person counts), a bound on UTF-8 bytes (what the server
/// holds and sends), and a bound on the code points in one character, so no
/// text is large while looking short ("a" with 20,000 combining marks is one
/// character and 40 KB).
///
/// The byte bound of a limit of N characters is, unless given, 4 × N + 64:
/// four bytes is the most one code point takes in UTF-8, so text of N
/// characters of one code point each (the letters of every script, CJK,
/// most emoji) always fits, and the 64 bytes leave room for one character of
/// the largest kind allowed (16 code points). Characters made of several code
/// points (emoji with skin tones, flags, ZWJ sequences, Indic conjuncts) count
/// their bytes, so text made only of them reaches the byte bound before the
/// character bound.
public struct TextLimit: Hashable, Sendable {
    /// The most code points one character (grapheme cluster) may hold. The
    /// longest emoji sequences have 10 (a kiss with two skin tones); Indic
    /// conjuncts and stacked diacritics stay well below.
    public static let maxScalarsPerCharacter = 16

    /// The most characters (grapheme clusters).
    public let maxCharacters: Int
    /// The most UTF-8 bytes.
    public let maxBytes: Int

    /// A limit of `maxCharacters` characters and `maxBytes` bytes (negative values count as 0).
    public init(maxCharacters: Int, maxBytes: Int) {
        self.maxCharacters = max(0, maxCharacters)
        self.maxBytes = max(0, maxBytes)
    }

    /// A limit of `characters` characters and the default byte bound, 4 × `characters` + 64
    /// (saturating: a huge configured limit never overflows).
    public init(characters: Int) {
        let characters = max(0, characters)
        let (four, overflow) = characters.multipliedReportingOverflow(by: 4)
        let (bytes, overflowAgain) = four.addingReportingOverflow(64)
        self.init(maxCharacters: characters, maxBytes: overflow || overflowAgain ? Int.max : bytes)
    }

    /// Checks `text`: bytes first (constant time), then characters and code points
    /// per character in one pass that stops at the first excess, then emptiness
    /// (only invisible characters, see ``TextScalar/isInvisible(_:)``).
    public func check(_ text: String) -> TextCheck {
        if text.utf8.count > maxBytes { return .tooManyBytes }
        var characters = 0
        var visible = false
        for character in text {
            characters += 1
            if characters > maxCharacters { return .tooManyCharacters }
            var scalars = 0
            for scalar in character.unicodeScalars {
                scalars += 1
                if !visible, !TextScalar.isInvisible(scalar) { visible = true }
            }
            if scalars > Self.maxScalarsPerCharacter { return .characterTooComplex }
        }
        return visible ? .accepted : .empty
    }
}

/// What ``TextLimit/check(_:)`` found.
public enum TextCheck: Hashable, Sendable {
    /// Within the limit and not empty.
    case accepted
    /// Empty, or only invisible characters (whitespace, zero-width and format
    /// characters, bidi controls).
    case empty
    /// More characters than the limit.
    case tooManyCharacters
    /// More UTF-8 bytes than the limit.
    case tooManyBytes
    /// One character holds more than ``TextLimit/maxScalarsPerCharacter`` code points.
    case characterTooComplex
}
