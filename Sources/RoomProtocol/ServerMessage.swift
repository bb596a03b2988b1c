import RoomCore

/// Every server → client message, decodable (the terminal client and tests use it).
public enum ServerMessage: Sendable, Hashable, Decodable {
    /// The first message after the upgrade: who this connection is, in which room.
    case welcome(member: MemberID, alias: String, role: Role, room: String, roomTitle: String)
    /// The command with this id was accepted.
    case ack(CommandID)
    /// A command was refused (a RoomCore code) or a message could not be decoded (a
    /// protocol code); `id` is the command's when it could be read.
    case error(code: String, message: String, id: CommandID?)
    /// A room event with its per-room sequence number and the server time (ms since the epoch).
    case event(sequence: UInt64, time: Int64, RoomEvent)
    /// The server is draining; reconnect later.
    case goingAway(reason: String)
    /// What a facilitator can start in this room (sent to facilitators after `welcome`).
    case activities(ActivityMenu)
    /// The room's next (or current) scheduled session (after `welcome`, in a room with a program schedule).
    case schedule(SessionSchedule)
    /// To facilitators, before a scheduled session's end: the session and its end.
    case sessionReminder(SessionSchedule)
    /// To facilitators: the enrolled members expected at the open session, and who is here.
    case expected(ExpectedMembers)

    /// Decodes one text frame from the server. An event of a type this build does not
    /// know fails with `unknown_type` (a newer server): clients should skip it.
    public static func decode(_ text: String) -> Result<ServerMessage, ProtocolError> {
        Result { () throws(ProtocolError) in
            let object = try ClientMessageDecoder.topLevelObject(text)
            try ClientMessageDecoder.checkVersion(object)
            return try ServerMessage(wire: object)
        }
    }

    /// Decodes from any `Decoder` holding one message object (a failure is a
    /// `DecodingError.dataCorrupted` whose description is the ``ProtocolError``'s).
    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        guard case .object(let members) = value else {
            throw Self.corrupted(.notAnObject(), decoder)
        }
        do {
            let object = WireObject(members)
            try ClientMessageDecoder.checkVersion(object)
            self = try ServerMessage(wire: object)
        } catch {
            throw Self.corrupted(error, decoder)
        }
    }

    private static func corrupted(_ error: ProtocolError, _ decoder: any Decoder) -> DecodingError {
        .dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
    }

    init(wire: WireObject) throws(ProtocolError) {
        let type = try wire.string("type")
        switch type {
        case "welcome":
            self = .welcome(
                member: try wire.memberID("member"), alias: try wire.string("alias"), role: try wire.wireEnum("role"),
                room: try wire.string("room"), roomTitle: try wire.string("roomTitle"))
        case "ack": self = .ack(CommandID(try wire.string("id")))
        case "error":
            let id = try wire.optionalString("id")?.get()
            self = .error(
                code: try wire.string("code"), message: try wire.string("message"), id: id.map { CommandID($0) })
        case "event":
            let event = try wire.object("event")
            let eventType = try event.string("type")
            guard let decoded = try RoomEvent.decode(type: eventType, from: event) else {
                throw .unknownType(eventType)
            }
            self = .event(sequence: try wire.uint64("seq"), time: try wire.int64("time"), decoded)
        case "going_away": self = .goingAway(reason: try wire.string("reason"))
        case "activities": self = .activities(try ActivityMenu(wire: wire))
        case "schedule": self = .schedule(try SessionSchedule(wire: wire))
        case "session_reminder": self = .sessionReminder(try SessionSchedule(wire: wire))
        case "expected": self = .expected(try ExpectedMembers(wire: wire))
        default: throw .unknownType(type)
        }
    }
}
