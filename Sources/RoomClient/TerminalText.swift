import RoomCore

extension String {
    /// This text made safe to print: every control character (C0, DEL, C1:
    /// escapes, carriage returns, bells…), line and paragraph separator, and
    /// format character (bidi controls such as U+202E RIGHT-TO-LEFT OVERRIDE and
    /// the isolates, zero-width spaces, byte order marks, soft hyphens…) becomes
    /// U+FFFD, and a tab a space. Only the two joiners (U+200C, U+200D), which
    /// scripts and emoji sequences need, and the tags of an emoji flag stay
    /// (``TextScalar/isUnsafeOnScreen(_:in:)``). Printing the result cannot move
    /// the cursor, change the terminal, or reorder the text around it. The one
    /// sanitiser of the client: line mode and the full-screen `Screen` use it.
    public var safeForTerminal: String {
        if utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) { return self }  // printable ASCII: nothing to do
        var result = String.UnicodeScalarView()
        for character in self {
            for scalar in character.unicodeScalars {
                if scalar == "\t" {
                    result.append(" ")
                } else if TextScalar.isUnsafeOnScreen(scalar, in: character) {
                    result.append("\u{FFFD}")
                } else {
                    result.append(scalar)
                }
            }
        }
        return String(result)
    }
}
