import RoomCore

/// A RoomCore value with a JSON object form: its members in a fixed order, and back.
protocol WireCodable {
    /// The object's members, in the order they are written.
    var wireFields: [(String, JSONValue)] { get }
    /// Reads the value from an object (missing or mistyped members are protocol errors).
    init(wire: WireObject) throws(ProtocolError)
}

extension WireCodable {
    var wireValue: JSONValue { .object(wireFields) }
}

extension WireObject {
    func decode<T: WireCodable>(_ key: String, as type: T.Type = T.self) throws(ProtocolError) -> T {
        try T(wire: try object(key))
    }

    func optionalDecode<T: WireCodable>(_ key: String, as type: T.Type = T.self) throws(ProtocolError) -> T? {
        guard let child = try optionalObject(key) else { return nil }
        return try T(wire: child)
    }

    func decodeArray<T: WireCodable>(_ key: String, of type: T.Type = T.self) throws(ProtocolError) -> [T] {
        var result: [T] = []
        for element in try objects(key) { result.append(try T(wire: element)) }
        return result
    }
}

extension Array where Element: WireCodable {
    var wireValue: JSONValue { .array(map(\.wireValue)) }
}

/// A RoomCore enum written as a snake_case string.
protocol WireEnum: Hashable {
    /// The name on the wire (an exhaustive switch, so a new case must be named).
    var wireName: String { get }
    /// Every case, for decoding (a case left out fails the round-trip tests).
    static var wireCases: [Self] { get }
}

extension WireEnum {
    var wireValue: JSONValue { .string(wireName) }
}

extension WireObject {
    func wireEnum<T: WireEnum>(_ key: String, as type: T.Type = T.self) throws(ProtocolError) -> T {
        try choice(key, Dictionary(uniqueKeysWithValues: T.wireCases.map { ($0.wireName, $0) }))
    }
}

extension Presence: WireEnum {
    var wireName: String {
        switch self {
        case .here: "here"
        case .away: "away"
        case .reconnecting: "reconnecting"
        case .inSideRoom: "in_side_room"
        }
    }
    static let wireCases: [Presence] = [.here, .away, .reconnecting, .inSideRoom]
}

extension Role: WireEnum {
    var wireName: String { rawValue }
    static var wireCases: [Role] { allCases }
}

extension RoomKind: WireEnum {
    var wireName: String { rawValue }
    static var wireCases: [RoomKind] { allCases }
}

extension CheckInVisibility: WireEnum {
    var wireName: String {
        switch self {
        case .group: "group"
        case .facilitatorsOnly: "facilitators_only"
        }
    }
    static let wireCases: [CheckInVisibility] = [.group, .facilitatorsOnly]
}

extension MessageRemoval.Reason: WireEnum {
    var wireName: String {
        switch self {
        case .redacted: "redacted"
        case .deleted: "deleted"
        }
    }
    static let wireCases: [MessageRemoval.Reason] = [.redacted, .deleted]
}

extension CheckInSummary.Reason: WireEnum {
    var wireName: String {
        switch self {
        case .closed: "closed"
        case .timedOut: "timed_out"
        case .sessionEnded: "session_ended"
        }
    }
    static let wireCases: [CheckInSummary.Reason] = [.closed, .timedOut, .sessionEnded]
}

extension ExerciseChange: WireEnum {
    var wireName: String {
        switch self {
        case .started: "started"
        case .phaseChanged: "phase_changed"
        case .paused: "paused"
        case .resumed: "resumed"
        case .skipped: "skipped"
        case .current: "current"
        }
    }
    static let wireCases: [ExerciseChange] = [.started, .phaseChanged, .paused, .resumed, .skipped, .current]
}

extension ExerciseEnd.Reason: WireEnum {
    var wireName: String {
        switch self {
        case .completed: "completed"
        case .stopped: "stopped"
        }
    }
    static let wireCases: [ExerciseEnd.Reason] = [.completed, .stopped]
}
