import RoomCore

/// What docs/PROTOCOL.md says about one field of a command: its name, JSON type,
/// whether it must be present, and the limits a valid value keeps.
struct WireFieldSpec: Sendable, Hashable {
    /// The JSON type of a field's value.
    enum JSONType: String, Sendable, Hashable {
        case string, number, object, array
    }

    /// The field's name on the wire.
    let name: String
    /// The JSON type of its value.
    let type: JSONType
    /// Whether a command without it (or with `null`) is refused with `missing_field`.
    let isRequired: Bool
    /// The limits of a valid value: what the `invalid_field` message of a value of the
    /// right JSON type outside them says the field must be.
    let limits: String
}

/// The fields of one command shape: how they are read from a message object (each check
/// failing with its documented error) and written in a fixed order, as one `Value`.
///
/// The readers are ``WireObject``'s: a field's error message names the field and the
/// expected JSON type, never the value found.
struct WireFields<Value>: Sendable {
    /// The fields, in the order they are written.
    let specs: [WireFieldSpec]
    /// Reads the value from a message, checking the fields in their documented order.
    let read: @Sendable (WireObject) throws(ProtocolError) -> Value
    /// Appends the value's members (an absent optional writes nothing).
    let write: @Sendable (Value, inout [(String, JSONValue)]) -> Void
}

extension WireFields {
    /// One field, read and written by the given closures.
    static func one(
        _ spec: WireFieldSpec, read: @escaping @Sendable (WireObject) throws(ProtocolError) -> Value,
        write: @escaping @Sendable (Value) -> JSONValue?
    ) -> WireFields {
        WireFields(specs: [spec], read: read) { value, members in
            if let json = write(value) { members.append((spec.name, json)) }
        }
    }

    /// Two fields, written in this order and checked in `order`.
    static func pair<A, B>(_ first: WireFields<A>, _ second: WireFields<B>, checking order: WireFieldOrder)
        -> WireFields<(A, B)>
    {
        WireFields<(A, B)>(
            specs: first.specs + second.specs,
            read: { object throws(ProtocolError) in
                switch order {
                case .asWritten:
                    let a = try first.read(object)
                    return (a, try second.read(object))
                case .secondFirst:
                    let b = try second.read(object)
                    return (try first.read(object), b)
                }
            },
            write: { value, members in
                first.write(value.0, &members)
                second.write(value.1, &members)
            })
    }
}

/// Which of a command's two fields a message is checked for first (the error a message
/// with both wrong gets names that one).
enum WireFieldOrder: Sendable {
    /// The first written is checked first.
    case asWritten
    /// The second written is checked first.
    case secondFirst
}

extension WireFields where Value == Void {
    /// No field besides `"v"`, `"type"` and `"id"`.
    static var none: WireFields { WireFields(specs: [], read: { _ throws(ProtocolError) in () }, write: { _, _ in }) }
}

extension WireFields where Value == ConfidentialText {
    /// `"text"`: the participant's words, any string (the room checks emptiness and length).
    static var text: WireFields {
        .one(WireFieldSpec(name: "text", type: .string, isRequired: true, limits: "a string")) {
            object throws(ProtocolError) in
            ConfidentialText(try object.string("text"))
        } write: {
            .string($0.revealed)
        }
    }
}

extension WireFields where Value == String {
    /// The longest identifier field (version, template, exercise, member), in bytes.
    static var identifierBytes: Int { 256 }

    /// An identifier: a string of 1 to ``identifierBytes`` bytes.
    static func identifier(_ name: String) -> WireFields {
        .one(identifierSpec(name, isRequired: true)) { object throws(ProtocolError) in
            try object.identifier(name, maxBytes: identifierBytes)
        } write: {
            .string($0)
        }
    }

    fileprivate static func identifierSpec(_ name: String, isRequired: Bool) -> WireFieldSpec {
        WireFieldSpec(
            name: name, type: .string, isRequired: isRequired,
            limits: "a non-empty string of at most \(identifierBytes) bytes")
    }
}

extension WireFields where Value == MemberID {
    /// A member id (an identifier).
    static func member(_ name: String) -> WireFields {
        .one(WireFields<String>.identifierSpec(name, isRequired: true)) { object throws(ProtocolError) in
            MemberID(try object.identifier(name, maxBytes: WireFields<String>.identifierBytes))
        } write: {
            .id($0)
        }
    }
}

extension WireFields where Value == MemberID? {
    /// A member id that may be absent (or null).
    static func optionalMember(_ name: String) -> WireFields {
        .one(WireFields<String>.identifierSpec(name, isRequired: false)) { object throws(ProtocolError) in
            guard object.value(name) != nil else { return nil }
            return MemberID(try object.identifier(name, maxBytes: WireFields<String>.identifierBytes))
        } write: {
            $0.map(JSONValue.id)
        }
    }
}

extension WireFields where Value == UInt64 {
    /// A whole number from 0 to 2⁶⁴ − 1 (message and alert ids).
    static func unsigned(_ name: String) -> WireFields {
        .one(WireFieldSpec(name: name, type: .number, isRequired: true, limits: "a whole number of at least 0")) {
            object throws(ProtocolError) in
            try object.uint64(name)
        } write: {
            .unsigned($0)
        }
    }
}

extension WireFields where Value == Int {
    /// A whole number in `range`.
    static func wholeNumber(_ name: String, in range: ClosedRange<Int64>) -> WireFields {
        let limits = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        return .one(WireFieldSpec(name: name, type: .number, isRequired: true, limits: limits)) {
            object throws(ProtocolError) in
            try object.int(name, in: range)
        } write: {
            .number($0)
        }
    }
}

extension WireFields where Value == Duration? {
    /// An optional duration in whole milliseconds, in `range`.
    static func optionalMilliseconds(_ name: String, in range: ClosedRange<Int64>) -> WireFields {
        let limits = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        return .one(WireFieldSpec(name: name, type: .number, isRequired: false, limits: limits)) {
            object throws(ProtocolError) in
            try object.optionalInt64(name, in: range).map { .milliseconds($0) }
        } write: {
            $0.map(JSONValue.milliseconds)
        }
    }
}

extension WireFields where Value == CheckInAnswer {
    /// `"answers"`: a check-in answer (see ``CheckInAnswer/init(wire:)``).
    static var answers: WireFields {
        .one(WireFieldSpec(name: "answers", type: .object, isRequired: true, limits: CheckInAnswer.wireLimits)) {
            object throws(ProtocolError) in
            try CheckInAnswer(wire: object)
        } write: {
            $0.wireValue
        }
    }
}
