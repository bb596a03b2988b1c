import RoomCore

/// A message that could not be turned into a command, with a stable code.
///
/// The ``message`` is written by this module only: it may name a field of the
/// protocol, a JSON type, or an unknown message type when that is a short ASCII
/// identifier, but it never repeats any other part of the client's input, so it is
/// safe to send back, to log and to count.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The stable snake_case machine code, one of ``ProtocolError/codes``.
    public var code: String
    /// Human text; never contains any of the client's input text.
    public var message: String
    /// The command's id when it could be read, so the error refers to it.
    public var commandID: CommandID?

    /// Creates an error from its parts. Prefer the static constructors.
    public init(code: String, message: String, commandID: CommandID? = nil) {
        self.code = code
        self.message = message
        self.commandID = commandID
    }

    /// The code and message, e.g. `missing_field: The field "text" is required.`
    /// (the command id is left out: it is the client's text).
    public var description: String { "\(code): \(message)" }

    /// Every code this module produces, plus `rate_limited` and `server_busy` which the server sends.
    public static let codes: [String] = [
        "malformed_json", "not_an_object", "unsupported_version", "missing_id", "unknown_type",
        "missing_field", "invalid_field", "message_too_large", "rate_limited", "server_busy",
    ]
}

extension ProtocolError {
    /// The text is not one JSON value (syntax, lone surrogate escape, number out of range).
    public static func malformedJSON() -> ProtocolError {
        ProtocolError(code: "malformed_json", message: "The message is not valid JSON.")
    }

    /// The text nests arrays and objects deeper than the protocol allows.
    public static func tooDeep() -> ProtocolError {
        ProtocolError(
            code: "malformed_json",
            message: "The message nests arrays or objects more than \(JSONValue.maximumDepth) levels deep.")
    }

    /// The JSON value is not an object.
    public static func notAnObject() -> ProtocolError {
        ProtocolError(code: "not_an_object", message: "The message must be a JSON object.")
    }

    /// `"v"` is present but is not this build's version.
    public static func unsupportedVersion(commandID: CommandID? = nil) -> ProtocolError {
        ProtocolError(
            code: "unsupported_version",
            message: "This server speaks protocol version \(ProtocolVersion.current) only.", commandID: commandID)
    }

    /// A command without `"id"`.
    public static func missingID() -> ProtocolError {
        ProtocolError(code: "missing_id", message: "A command needs an \"id\" so its answer can refer to it.")
    }

    /// The `"type"` is not one of the protocol's; named only when it is a short identifier.
    public static func unknownType(_ type: String, commandID: CommandID? = nil) -> ProtocolError {
        let shown = isShortIdentifier(type) ? " \"\(type)\"" : ""
        return ProtocolError(code: "unknown_type", message: "Unknown message type\(shown).", commandID: commandID)
    }

    /// A required field is absent (or null).
    public static func missingField(_ field: String, commandID: CommandID? = nil) -> ProtocolError {
        ProtocolError(code: "missing_field", message: "The field \"\(field)\" is required.", commandID: commandID)
    }

    /// A field has the wrong JSON type or a value out of its range; `expected` says what fits.
    public static func invalidField(_ field: String, expected: String, commandID: CommandID? = nil)
        -> ProtocolError
    {
        ProtocolError(
            code: "invalid_field", message: "The field \"\(field)\" must be \(expected).", commandID: commandID)
    }

    /// The text is larger than the server accepts for one message.
    public static func messageTooLarge(limit: Int) -> ProtocolError {
        ProtocolError(code: "message_too_large", message: "The message is larger than \(limit) bytes.")
    }

    /// The member sends faster than the server's per-member limit (sent by the server;
    /// persisting, the connection is closed with 1008).
    public static func rateLimited(commandID: CommandID? = nil) -> ProtocolError {
        ProtocolError(
            code: "rate_limited", message: "Too many messages; slow down or the connection will be closed.",
            commandID: commandID)
    }

    /// The room has more commands waiting than it accepts (the server is overloaded);
    /// the command was dropped and may be sent again in a moment (sent by the server).
    public static func serverBusy(commandID: CommandID? = nil) -> ProtocolError {
        ProtocolError(
            code: "server_busy", message: "The room is very busy; your message was not sent. Try again in a moment.",
            commandID: commandID)
    }

    /// The same error referring to `id`.
    func referring(to id: CommandID?) -> ProtocolError {
        var copy = self
        copy.commandID = id
        return copy
    }

    /// 1–32 characters of `a-z A-Z 0-9 . _ -`: safe to repeat back.
    static func isShortIdentifier(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...32).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }
}
