// libFuzzer target for the rules every member's text and every alias pass
// through: TextLimit (characters, bytes, code points per character, emptiness),
// AliasRule, and the client's terminal sanitiser. Build and run like the other
// targets (STYLE.md §5.8, Scripts/fuzz fuzz-text-rules).
// Input: any bytes; only valid UTF-8 reaches the rules (the transport refuses
// anything else). Invariants, each a fatalError: no crash; accepted text is within
// both bounds and has a visible character; a refusal is the first bound broken;
// an accepted alias is within the alias limit and holds no control, format or bidi
// character; the sanitised text holds nothing unsafe on screen, and sanitising it
// again changes nothing.
import RoomClient
import RoomCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTextRules(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else {
        return 0
    }
    checkLimit(text, TextLimit(characters: 30))
    checkLimit(text, TextLimit(characters: 2000))
    checkAlias(text)
    checkSanitiser(text)
    return 0
}

func checkLimit(_ text: String, _ limit: TextLimit) {
    let bytes = text.utf8.count
    let characters = text.count
    let mostScalars = text.map(\.unicodeScalars.count).max() ?? 0
    switch limit.check(text) {
    case .accepted:
        if bytes > limit.maxBytes || characters > limit.maxCharacters { fatalError("accepted beyond the limit") }
        if mostScalars > TextLimit.maxScalarsPerCharacter { fatalError("accepted a character too complex") }
        if !TextScalar.hasVisibleCharacter(text) { fatalError("accepted text with nothing visible") }
    case .empty:
        if TextScalar.hasVisibleCharacter(text) { fatalError("called empty text with a visible character") }
    case .tooManyBytes:
        if bytes <= limit.maxBytes { fatalError("refused for bytes within the byte bound") }
    case .tooManyCharacters:
        if characters <= limit.maxCharacters || bytes > limit.maxBytes { fatalError("wrong reason: characters") }
    case .characterTooComplex:
        if mostScalars <= TextLimit.maxScalarsPerCharacter || bytes > limit.maxBytes {
            fatalError("wrong reason: complexity")
        }
    }
}

func checkAlias(_ text: String) {
    for role in [Role.participant, .facilitator] where AliasRule.check(text, role: role) == nil {
        if text.utf8.count > AliasRule.limit.maxBytes || text.count > AliasRule.limit.maxCharacters {
            fatalError("an accepted alias is over the alias limit")
        }
        if text.unicodeScalars.contains(where: { TextScalar.isControl($0) || TextScalar.isFormatOrSeparator($0) }) {
            fatalError("an accepted alias holds a control, format or separator character")
        }
    }
}

func checkSanitiser(_ text: String) {
    let safe = text.safeForTerminal
    for character in safe {
        for scalar in character.unicodeScalars where TextScalar.isUnsafeOnScreen(scalar, in: character) {
            fatalError("the sanitised text still holds U+\(String(scalar.value, radix: 16, uppercase: true))")
        }
    }
    if safe.safeForTerminal != safe { fatalError("sanitising twice changed the text") }
}
