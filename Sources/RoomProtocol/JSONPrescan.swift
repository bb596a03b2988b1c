import Foundation

/// One linear pass over a JSON text before anything is decoded: how deep its arrays and
/// objects nest, and how many members its outermost object has.
///
/// Brackets and colons inside strings (escapes included) are skipped; nothing else is
/// validated here, the decoder does that. So a deep input costs one scan, never deep
/// recursion, and the typed fast path (``CommandObject``) learns how many members the
/// decoder's object had before duplicate keys were merged.
struct JSONPrescan {
    /// Whether arrays and objects nest at most ``JSONValue/maximumDepth`` deep (the scan
    /// stops at the first bracket too deep).
    private(set) var depthIsAcceptable = true
    /// The colons directly inside the outermost brackets. For a text that is a valid JSON
    /// object this is its number of members, every duplicate key counted.
    private(set) var topLevelColons = 0

    /// Scans `bytes` once, through a buffer pointer (native strings are contiguous;
    /// iterating the view itself costs several times as much).
    init(_ bytes: String.UTF8View) {
        self =
            bytes.withContiguousStorageIfAvailable(Self.init(scanning:))
            ?? Array(bytes).withUnsafeBufferPointer(Self.init(scanning:))
    }

    private init(scanning bytes: UnsafeBufferPointer<UInt8>) {
        let count = bytes.count
        var depth = 0
        var index = 0
        while index < count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                // Skip the string: to the next quote that no backslash escapes.
                index += 1
                while index < count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
            case UInt8(ascii: ":") where depth == 1: topLevelColons += 1
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > JSONValue.maximumDepth {
                    depthIsAcceptable = false
                    return
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
            index += 1
        }
    }
}

extension JSONPrescan {
    /// The most top-level members counted into a decoder's `userInfo`: more than any
    /// command has (5), few enough to keep a decoder for each.
    static let mostCountedMembers = 15

    /// A shared decoder with ``topLevelColons`` in its `userInfo` under
    /// `CodingUserInfoKey.topLevelMembers`, or without it above ``mostCountedMembers``.
    ///
    /// One decoder per count, made once: `JSONDecoder` takes no per-call argument, and a
    /// new decoder with its `userInfo` set costs about 0.35 µs per message, a quarter of
    /// refusing a malformed one. A `JSONDecoder` may decode on several threads at once.
    var decoder: JSONDecoder {
        topLevelColons <= Self.mostCountedMembers ? Self.countingDecoders[topLevelColons] : Self.plainDecoder
    }

    private static let countingDecoders = (0...mostCountedMembers).map { count in
        let decoder = JSONDecoder()
        decoder.userInfo[.topLevelMembers] = count
        return decoder
    }

    private static let plainDecoder = JSONDecoder()
}

extension CodingUserInfoKey {
    /// The number of members ``JSONPrescan`` counted in a top-level object (an `Int`).
    static let topLevelMembers = CodingUserInfoKey(rawValue: "members")!
}
