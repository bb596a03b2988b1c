/// Reads a message written the way clients write one, without `JSONDecoder`: one object
/// with no whitespace, whose values are strings without escapes or plain integers, each
/// key once, as in `{"v":1,"type":"chat.send","id":"c-1","text":"hi"}`.
///
/// Such a text has one meaning, and the members read here are the ones the general read
/// (``ClientMessageDecoder/decodeGeneral(_:maxBytes:)``) finds in it: the same keys, a
/// string for each string, an `Int64` for each integer. Anything else is not read here
/// (nil) and goes to the decoder, which finds every error: whitespace, an escape, a control
/// character, a key that is not printable ASCII, any other kind of value (`true`, `null`,
/// `1.5`, `-0`, an integer beyond `Int64`, an array), a repeated key, more than
/// ``mostMembers`` members, an empty object, anything malformed (and a string whose bytes
/// are not contiguous, which a decoded frame never is). The fuzzer and
/// `FlatObjectReaderTests` compare both reads.
///
/// Why: at the benchmark loads `JSONDecoder` was the largest cost of a message above the
/// kernel (about 9 % of the server's CPU at `normal`); see docs/BENCHMARKS.md.
enum FlatObjectReader {
    /// The most members read here: no command has more than five.
    static let mostMembers = 8

    /// The members of `text` in their order, or nil when the text is not such an object.
    static func members(of text: String) -> [(String, JSONValue)]? {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            var reader = Cursor(bytes: bytes)
            return reader.object()
        } ?? nil
    }

    /// A position in the bytes of one text.
    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func object() -> [(String, JSONValue)]? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var members: [(String, JSONValue)] = []
            members.reserveCapacity(5)
            repeat {
                guard members.count < FlatObjectReader.mostMembers, let key = key(), take(UInt8(ascii: ":")),
                    let value = value(), !members.contains(where: { $0.0 == key })
                else { return nil }
                members.append((key, value))
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")), index == bytes.count else { return nil }
            return members
        }

        /// Consumes `byte` if it is next.
        private mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// A quoted key of printable ASCII, no quote or backslash in it.
        private mutating func key() -> String? {
            quoted { (0x20...0x7E).contains($0) }
        }

        private mutating func value() -> JSONValue? {
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                // Bytes from 0x80 are parts of characters: the text is valid UTF-8, and a
                // quote (0x22) is never part of a longer character, so the run between two
                // quotes is whole characters.
                return quoted { $0 >= 0x20 }.map(JSONValue.string)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return integer().map(JSONValue.int)
            default: return nil
            }
        }

        /// `"…"` whose bytes all pass `allowed` and none is a quote or a backslash.
        private mutating func quoted(_ allowed: (UInt8) -> Bool) -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    index += 1
                    return text
                }
                guard byte != UInt8(ascii: "\\"), allowed(byte) else { return nil }
                index += 1
            }
            return nil
        }

        /// `0` or `-?[1-9][0-9]*` within `Int64` (at most 19 digits). What follows must end
        /// the value (`,` or `}`, checked by the caller), so `1.5`, `1e3` and `01` are not read
        /// here, nor `-0` or a number beyond `Int64` (the general read has its own cases for them).
        private mutating func integer() -> Int64? {
            let negative = take(UInt8(ascii: "-"))
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "0") {
                guard !negative else { return nil }
                index += 1
                return 0
            }
            var magnitude: UInt64 = 0  // 19 digits stay below UInt64.max
            var digits = 0
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
                guard digits < 19 else { return nil }
                magnitude = magnitude * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if negative {
                guard magnitude <= Int64.min.magnitude else { return nil }
                return Int64(truncatingIfNeeded: 0 &- magnitude)
            }
            return Int64(exactly: magnitude)
        }
    }
}
