/// The one rule for the alias a member is shown by, checked when a token is
/// issued (`iopctl token issue`) and again when the server verifies it, so a
/// token minted elsewhere cannot bring in what `iopctl` refuses.
///
/// An alias is 1 to 32 characters and at most 128 UTF-8 bytes (``TextLimit``,
/// so also at most 16 code points a character); it has no control characters,
/// no format or invisible characters (zero-width spaces and joiners, bidi
/// controls, soft hyphens, fillers), no line or paragraph separators, no
/// square brackets (`iop` shows roles in them), and no space other than
/// U+0020, never at either end or two in a row. A participant's alias also
/// names no staff role (``staffWords``, ``staffWholeWords``), so nobody in
/// treatment can pass as staff.
public enum AliasRule {
    /// 1–32 characters, at most 128 UTF-8 bytes.
    public static let limit = TextLimit(maxCharacters: 32, maxBytes: 128)

    /// Words that name a staff role, refused anywhere in a participant's alias
    /// regardless of case ("DanaFacilitator" too).
    public static let staffWords = [
        "facilitator", "moderator", "therapist", "counselor", "counsellor", "clinician", "administrator",
        "operator", "psychiatrist", "psychologist", "supervisor",
    ]

    /// Short staff words, refused in a participant's alias as whole words only
    /// (letters between non-letters), so "Hosteen" or "Staffan" stay possible.
    public static let staffWholeWords = ["staff", "admin", "host", "mod", "fac", "dr", "doctor", "nurse", "system"]

    /// Marks that stand for a staff role, refused anywhere in a participant's alias.
    public static let staffMarks = ["(f)"]

    /// The first rule `alias` breaks for a member of `role` (operators: `.facilitator`), or nil.
    public static func check(_ alias: String, role: Role) -> AliasProblem? {
        switch limit.check(alias) {
        case .tooManyCharacters, .tooManyBytes, .characterTooComplex: return .tooLong
        case .empty where alias.isEmpty: return .empty
        case .empty, .accepted: break
        }
        var previous: Unicode.Scalar?
        for character in alias {
            if character == "[" || character == "]" { return .reservedCharacter }
            for scalar in character.unicodeScalars {
                if let problem = problem(with: scalar, after: previous) { return problem }
                previous = scalar
            }
        }
        if alias.first == " " || alias.last == " " { return .spacing }
        if !TextScalar.hasVisibleCharacter(alias) { return .empty }
        if role == .participant, namesStaff(alias) { return .staffWord }
        return nil
    }

    /// What is wrong with one scalar of an alias, if anything.
    private static func problem(with scalar: Unicode.Scalar, after previous: Unicode.Scalar?) -> AliasProblem? {
        if TextScalar.isControl(scalar) { return .controlCharacter }
        if scalar == " " { return previous == " " ? .spacing : nil }
        if TextScalar.isFormatOrSeparator(scalar) { return .invisibleCharacter }
        if scalar.properties.isWhitespace { return .spacing }
        if TextScalar.isInvisible(scalar) { return .invisibleCharacter }
        return nil
    }

    /// Whether `alias` contains a staff word, whole word or mark (case-insensitive).
    static func namesStaff(_ alias: String) -> Bool {
        let lowered = alias.lowercased()
        if staffWords.contains(where: { lowered.contains($0) }) { return true }
        if staffMarks.contains(where: { lowered.contains($0) }) { return true }
        let words = lowered.split { !$0.isLetter }
        return words.contains { staffWholeWords.contains(String($0)) }
    }
}

/// The alias rule a given alias breaks; its ``description`` is a sentence about
/// the rule that never repeats the alias.
public enum AliasProblem: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// No visible character at all.
    case empty
    /// Over 32 characters, 128 UTF-8 bytes, or 16 code points in one character.
    case tooLong = "too_long"
    /// A control character: escape, bell, newline, tab, DEL, C1.
    case controlCharacter = "control_character"
    /// A format or invisible character: zero-width space or joiner, bidi control
    /// (U+202E…), soft hyphen, filler, line or paragraph separator.
    case invisibleCharacter = "invisible_character"
    /// A space other than U+0020, one at either end, or two in a row.
    case spacing
    /// `[` or `]`, which `iop` uses to show roles.
    case reservedCharacter = "reserved_character"
    /// A participant's alias naming a staff role.
    case staffWord = "staff_word"

    /// A sentence naming the rule, to follow "the alias".
    public var description: String {
        switch self {
        case .empty: "must have at least one visible character"
        case .tooLong: "must be at most 32 characters and 128 UTF-8 bytes (at most 16 code points a character)"
        case .controlCharacter: "must not contain control characters (escape, bell, newline, tab...)"
        case .invisibleCharacter:
            "must not contain format or invisible characters (zero-width spaces and joiners, bidi controls such as "
                + "U+202E, soft hyphens, fillers) or line and paragraph separators"
        case .spacing: "may use only the ordinary space, one at a time, never at the start or the end"
        case .reservedCharacter: "must not contain [ or ] (iop shows roles in square brackets)"
        case .staffWord:
            "of a participant must not name a staff role (facilitator, moderator, therapist, counselor, "
                + "clinician, admin, staff, host, nurse, doctor, (f)...)"
        }
    }
}
