/// A key press, decoded from terminal input bytes.
public enum Key: Sendable, Hashable {
    /// A printable character.
    case character(Character)
    /// Enter / Return.
    case enter
    /// Backspace (DEL or ^H).
    case backspace
    /// Delete (forward).
    case delete
    /// Tab.
    case tab
    /// Escape on its own.
    case escape
    /// Arrow keys.
    case up, down, left, right
    /// Home and End.
    case home, end
    /// Page Up and Page Down.
    case pageUp, pageDown
    /// Ctrl + a letter (lower case), e.g. `.control("c")`.
    case control(Character)
    /// Alt (Meta) + a printable ASCII character, sent by terminals as ESC then the character.
    case alt(Character)
}

/// Turns raw terminal bytes into keys, keeping an incomplete escape sequence or
/// UTF-8 character for the next call.
public struct KeyDecoder: Sendable {
    private var buffer: [UInt8] = []

    /// An empty decoder.
    public init() {}

    /// Decodes `bytes`; with `flush` a lone ESC at the end is taken as the Escape key.
    public mutating func decode(_ bytes: [UInt8], flush: Bool = false) -> [Key] {
        buffer += bytes
        var keys: [Key] = []
        while !buffer.isEmpty {
            guard let (key, used) = next(flush: flush) else { break }
            buffer.removeFirst(used)
            if let key { keys.append(key) }
        }
        return keys
    }

    private func next(flush: Bool) -> (Key?, Int)? {
        let byte = buffer[0]
        switch byte {
        case 0x0D, 0x0A: return (.enter, 1)
        case 0x7F, 0x08: return (.backspace, 1)
        case 0x09: return (.tab, 1)
        case 0x1B: return escape(flush: flush)
        case 0x01...0x1A: return (.control(Character(Unicode.Scalar(byte + 0x60))), 1)
        case 0x00...0x1F: return (nil, 1)
        default: return utf8()
        }
    }

    private func escape(flush: Bool) -> (Key?, Int)? {
        guard buffer.count >= 2 else { return flush ? (.escape, 1) : nil }
        guard buffer[1] == UInt8(ascii: "[") || buffer[1] == UInt8(ascii: "O") else {
            if (0x21...0x7E).contains(buffer[1]) { return (.alt(Character(Unicode.Scalar(buffer[1]))), 2) }
            return (.escape, 1)
        }
        guard let end = buffer.dropFirst(2).firstIndex(where: { (0x40...0x7E).contains($0) }) else {
            return buffer.count > 16 ? (nil, buffer.count) : nil
        }
        let body = String(decoding: buffer[2..<end], as: UTF8.self)
        let final = Character(Unicode.Scalar(buffer[end]))
        let key: Key?
        switch (final, body) {
        case ("A", _): key = .up
        case ("B", _): key = .down
        case ("C", _): key = .right
        case ("D", _): key = .left
        case ("H", _), ("~", "1"), ("~", "7"): key = .home
        case ("F", _), ("~", "4"), ("~", "8"): key = .end
        case ("~", "3"): key = .delete
        case ("~", "5"): key = .pageUp
        case ("~", "6"): key = .pageDown
        default: key = nil
        }
        return (key, end + 1)
    }

    private func utf8() -> (Key?, Int)? {
        let byte = buffer[0]
        let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
        guard buffer.count >= length else { return nil }
        let text = String(decoding: buffer[0..<length], as: UTF8.self)
        guard let character = text.first, text != "\u{FFFD}" || length == 3 else { return (nil, length) }
        return (.character(character), length)
    }
}
