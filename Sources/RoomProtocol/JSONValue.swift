import Foundation

/// A parsed JSON value, the common ground between the wire and the typed messages.
///
/// Objects keep their members in order: the encoder writes them in the fixed order
/// the message builders chose, so the same message always gives the same bytes.
/// A decoded object keeps the first of duplicate keys (as `JSONDecoder` does).
enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// An integer that fits in `Int64`.
    case int(Int64)
    /// An integer above `Int64.max`.
    case uint(UInt64)
    /// Any other number.
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.uint(let a), .uint(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .int(let value): hasher.combine(value)
        case .uint(let value): hasher.combine(value)
        case .double(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .object(let members):
            hasher.combine(members.count)
            for (key, value) in members {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// The JSON type name used in error messages (never the value itself).
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .uint, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: Decodable {
    /// A key that is any member name.
    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes any JSON value; nesting depth is bounded by ``JSONValue/parse(_:)`` beforehand.
    ///
    /// Codable has no way to ask a value's kind, only to try one and catch the
    /// mismatch, and each mismatch builds an error. So the likeliest kinds come
    /// first: in a command most values are strings, then integers; an object is
    /// tried only after every scalar kind (once per message, for the top level).
    init(from decoder: any Decoder) throws {
        if let scalar = JSONValue.scalar(try decoder.singleValueContainer()) {
            self = scalar
        } else if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            self = .object(try JSONValue.members(of: keyed))
        } else {
            var unkeyed = try decoder.unkeyedContainer()
            var elements: [JSONValue] = []
            while !unkeyed.isAtEnd { elements.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(elements)
        }
    }

    /// An object's members in the order the decoder lists them.
    ///
    /// `allKeys` is read once: each read builds a new array of keys (a third of a
    /// command's decoding time when it was read twice).
    static func members(of keyed: KeyedDecodingContainer<AnyKey>) throws -> [(String, JSONValue)] {
        let keys = keyed.allKeys
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(keys.count)
        for key in keys {
            members.append((key.stringValue, try keyed.decode(JSONValue.self, forKey: key)))
        }
        return members
    }

    /// The value if it is a scalar (nil, string, number, boolean); nil for an object or array.
    private static func scalar(_ container: any SingleValueDecodingContainer) -> JSONValue? {
        if container.decodeNil() { return .null }
        if let value = try? container.decode(String.self) { return .string(value) }
        if let value = try? container.decode(Int64.self) { return .int(value) }
        if let value = try? container.decode(Bool.self) { return .bool(value) }
        if let value = try? container.decode(UInt64.self) { return .uint(value) }
        if let value = try? container.decode(Double.self) { return .double(value) }
        return nil
    }
}

extension JSONValue {
    /// The deepest nesting of arrays and objects accepted in any message.
    static let maximumDepth = 32

    /// Why a text could not be parsed (no part of the text is kept).
    enum ParseFailure: Error {
        case malformed
        case tooDeep
    }

    /// Parses one JSON text, refusing nesting deeper than ``maximumDepth`` before
    /// decoding anything (so a deep input costs one linear scan, never deep recursion).
    static func parse(_ text: String) -> Result<JSONValue, ParseFailure> {
        guard nestsAtMostMaximumDepth(text.utf8) else { return .failure(.tooDeep) }
        let data = Data(text.utf8)
        do {
            // Nearly every message is an object: decoding one as such skips the five
            // failed scalar tries a value of unknown kind costs (each builds an error).
            // Text that opens with `{` can be nothing else, so it is parsed once either way.
            if startsWithObject(text.utf8) {
                return .success(.object(try decoder.decode(TopLevelObject.self, from: data).members))
            }
            return .success(try decoder.decode(JSONValue.self, from: data))
        } catch {
            return .failure(.malformed)
        }
    }

    /// One decoder for every message: a `JSONDecoder` may decode on several threads at once.
    private static let decoder = JSONDecoder()

    /// Whether arrays and objects in `bytes` nest at most ``maximumDepth`` deep: one pass
    /// that skips strings (escapes included) and validates nothing else (the decoder does).
    private static func nestsAtMostMaximumDepth(_ bytes: String.UTF8View) -> Bool {
        // Through a buffer pointer: native strings are contiguous, and iterating the view
        // itself costs several times as much.
        bytes.withContiguousStorageIfAvailable(nestsAtMostMaximumDepth)
            ?? Array(bytes).withUnsafeBufferPointer(nestsAtMostMaximumDepth)
    }

    private static func nestsAtMostMaximumDepth(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var depth = 0
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                // Skip the string: to the next quote that no backslash escapes.
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumDepth { return false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
            index += 1
        }
        return true
    }

    /// Whether the first byte after JSON whitespace (RFC 8259 §2) is `{`.
    private static func startsWithObject(_ bytes: String.UTF8View) -> Bool {
        let whitespace: [UInt8] = [0x20, 0x09, 0x0A, 0x0D]
        return bytes.first { !whitespace.contains($0) } == UInt8(ascii: "{")
    }

    /// A JSON object, decoded as one without asking first whether it is a scalar.
    private struct TopLevelObject: Decodable {
        let members: [(String, JSONValue)]

        init(from decoder: any Decoder) throws {
            members = try JSONValue.members(of: decoder.container(keyedBy: AnyKey.self))
        }
    }
}
