/// Participant-written text (chat, private messages, check-in words).
///
/// Its `description`, `debugDescription` and mirror are redacted, so the text
/// cannot reach a log line through string interpolation, `print`, or `dump`
/// by accident. Read it on purpose through ``revealed`` only where it is put on
/// the wire to its intended recipients.
public struct ConfidentialText: Hashable, Sendable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    private let value: String

    /// Wraps participant text.
    public init(_ value: String) { self.value = value }

    /// The text itself. Only the wire encoder should read this.
    public var revealed: String { value }

    /// The length in UTF-8 bytes (safe to log).
    public var utf8Count: Int { value.utf8.count }

    /// The length in user-perceived characters, which the room's limit counts.
    public var characterCount: Int { value.count }

    /// True when the text is empty or only invisible characters (whitespace,
    /// zero-width and format characters, bidi controls: ``TextScalar/isInvisible(_:)``).
    public var isBlank: Bool { !TextScalar.hasVisibleCharacter(value) }

    /// The text checked against `limit` (characters, bytes, code points per
    /// character, emptiness); the result says which, never the text.
    public func check(_ limit: TextLimit) -> TextCheck { limit.check(value) }

    /// A redacted placeholder such as `<redacted 42 bytes>`.
    public var description: String { "<redacted \(value.utf8.count) bytes>" }

    /// The same redacted placeholder as ``description``.
    public var debugDescription: String { description }

    /// A mirror with no children, so `dump` and reflection see only the placeholder.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
