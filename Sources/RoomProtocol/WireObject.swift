import RoomCore

/// A decoded JSON object with typed accessors that fail with protocol errors.
///
/// Errors name the field by its protocol name (with the path of the enclosing
/// fields for nested values) and the JSON type expected; never the value found.
/// A `null` member counts as absent, and unknown members are ignored.
struct WireObject {
    let members: [(String, JSONValue)]
    /// The command the object belongs to, attached to every error.
    let commandID: CommandID?
    /// The dotted path of this object within the message ("" for the message itself).
    let path: String

    init(_ members: [(String, JSONValue)], commandID: CommandID? = nil, path: String = "") {
        self.members = members
        self.commandID = commandID
        self.path = path
    }

    /// The value of a member, `nil` when absent or null (first of duplicate keys wins).
    func value(_ key: String) -> JSONValue? {
        for (name, value) in members where name == key {
            if case .null = value { return nil }
            return value
        }
        return nil
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func missing(_ key: String) -> ProtocolError { .missingField(name(key), commandID: commandID) }

    func invalid(_ key: String, _ expected: String) -> ProtocolError {
        .invalidField(name(key), expected: expected, commandID: commandID)
    }

    func required(_ key: String) throws(ProtocolError) -> JSONValue {
        guard let value = value(key) else { throw missing(key) }
        return value
    }

    // MARK: Scalars

    func string(_ key: String, maxBytes: Int = .max) throws(ProtocolError) -> String {
        guard let value = optionalString(key, maxBytes: maxBytes) else { throw missing(key) }
        return try value.get()
    }

    /// A string of 1 to `maxBytes` UTF-8 bytes (identifiers, versions, names).
    func identifier(_ key: String, maxBytes: Int = 256) throws(ProtocolError) -> String {
        let text = try string(key, maxBytes: maxBytes)
        guard !text.isEmpty else { throw invalid(key, "a non-empty string of at most \(maxBytes) bytes") }
        return text
    }

    func optionalString(_ key: String, maxBytes: Int = .max) -> Result<String, ProtocolError>? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value, text.utf8.count <= maxBytes else {
            let expected = maxBytes == .max ? "a string" : "a string of at most \(maxBytes) bytes"
            return .failure(invalid(key, expected))
        }
        return .success(text)
    }

    func bool(_ key: String) throws(ProtocolError) -> Bool {
        guard case .bool(let flag) = try required(key) else { throw invalid(key, "true or false") }
        return flag
    }

    func int64(_ key: String, in range: ClosedRange<Int64> = .min ... .max) throws(ProtocolError) -> Int64 {
        guard let number = try optionalInt64(key, in: range) else { throw missing(key) }
        return number
    }

    func optionalInt64(_ key: String, in range: ClosedRange<Int64> = .min ... .max) throws(ProtocolError) -> Int64? {
        guard let value = value(key) else { return nil }
        guard case .int(let number) = value, range.contains(number) else {
            throw invalid(key, Self.describe(range))
        }
        return number
    }

    func int(_ key: String, in range: ClosedRange<Int64> = Int64(Int.min)...Int64(Int.max)) throws(ProtocolError)
        -> Int
    {
        Int(try int64(key, in: range))
    }

    func optionalInt(_ key: String) throws(ProtocolError) -> Int? {
        try optionalInt64(key, in: Int64(Int.min)...Int64(Int.max)).map { Int($0) }
    }

    func uint64(_ key: String) throws(ProtocolError) -> UInt64 {
        switch try required(key) {
        case .int(let number) where number >= 0: return UInt64(number)
        case .uint(let number): return number
        default: throw invalid(key, "a whole number of at least 0")
        }
    }

    private static func describe(_ range: ClosedRange<Int64>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (.min, .max), (Int64(Int.min), Int64(Int.max)): "a whole number"
        case (let low, .max): "a whole number of at least \(low)"
        case (let low, let high): "a whole number from \(low) to \(high)"
        }
    }

    // MARK: Containers

    func object(_ key: String) throws(ProtocolError) -> WireObject {
        guard let child = try optionalObject(key) else { throw missing(key) }
        return child
    }

    func optionalObject(_ key: String) throws(ProtocolError) -> WireObject? {
        guard let value = value(key) else { return nil }
        guard case .object(let members) = value else { throw invalid(key, "an object") }
        return WireObject(members, commandID: commandID, path: name(key))
    }

    func array(_ key: String) throws(ProtocolError) -> [JSONValue] {
        guard case .array(let elements) = try required(key) else { throw invalid(key, "an array") }
        return elements
    }

    func objects(_ key: String) throws(ProtocolError) -> [WireObject] {
        var result: [WireObject] = []
        for (index, element) in try array(key).enumerated() {
            guard case .object(let members) = element else { throw invalid("\(key)[\(index)]", "an object") }
            result.append(WireObject(members, commandID: commandID, path: name("\(key)[\(index)]")))
        }
        return result
    }

    func strings(_ key: String) throws(ProtocolError) -> [String] {
        var result: [String] = []
        for (index, element) in try array(key).enumerated() {
            guard case .string(let text) = element else { throw invalid("\(key)[\(index)]", "a string") }
            result.append(text)
        }
        return result
    }

    // MARK: Protocol types

    func memberID(_ key: String) throws(ProtocolError) -> MemberID { MemberID(try identifier(key)) }

    func optionalMemberID(_ key: String) throws(ProtocolError) -> MemberID? {
        guard value(key) != nil else { return nil }
        return try memberID(key)
    }

    func memberIDs(_ key: String) throws(ProtocolError) -> [MemberID] { try strings(key).map { MemberID($0) } }

    func timestamp(_ key: String) throws(ProtocolError) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: try int64(key))
    }

    func optionalTimestamp(_ key: String) throws(ProtocolError) -> Timestamp? {
        try optionalInt64(key).map { Timestamp(millisecondsSinceEpoch: $0) }
    }

    /// A duration in whole milliseconds.
    func duration(_ key: String) throws(ProtocolError) -> Duration { .milliseconds(try int64(key)) }

    /// One of a fixed set of strings.
    func choice<T>(_ key: String, _ options: [String: T]) throws(ProtocolError) -> T {
        let text = try string(key)
        guard let option = options[text] else {
            throw invalid(key, "one of " + options.keys.sorted().map { "\"\($0)\"" }.joined(separator: ", "))
        }
        return option
    }
}

/// Builds an object with members in the order they are put.
struct ObjectBuilder {
    private(set) var members: [(String, JSONValue)] = []

    init(type: String? = nil, version: Bool = false) {
        if version { members.append(("v", .int(Int64(ProtocolVersion.current)))) }
        if let type { members.append(("type", .string(type))) }
    }

    /// Adds a member; a `nil` value leaves it out (absent optionals are omitted).
    mutating func put(_ key: String, _ value: JSONValue?) {
        if let value { members.append((key, value)) }
    }

    mutating func put(_ members: [(String, JSONValue)]) { self.members.append(contentsOf: members) }

    var value: JSONValue { .object(members) }
}

extension JSONValue {
    static func id(_ member: MemberID) -> JSONValue { .string(member.rawValue) }
    static func ids(_ members: [MemberID]) -> JSONValue { .array(members.map { .string($0.rawValue) }) }
    static func time(_ instant: Timestamp) -> JSONValue { .int(instant.millisecondsSinceEpoch) }
    static func milliseconds(_ duration: Duration) -> JSONValue { .int(duration.milliseconds) }
    static func number(_ number: Int) -> JSONValue { .int(Int64(number)) }
    static func unsigned(_ number: UInt64) -> JSONValue {
        number <= UInt64(Int64.max) ? .int(Int64(number)) : .uint(number)
    }
}
