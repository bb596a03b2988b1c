import RoomCore

/// Turns one client text frame into a command, or into a ``ProtocolError`` to send back.
public enum ClientMessageDecoder {
    /// The default largest message accepted: 64 KiB, far above the longest chat
    /// message a room allows (2000 characters), small enough to parse at once.
    public static let defaultMaximumBytes = 64 * 1024

    /// Decodes one text frame. `maxBytes` guards the JSON size (message_too_large above it).
    ///
    /// Checks in this order, the first failing one giving the code: size
    /// (`message_too_large`), JSON syntax and depth (`malformed_json`), object
    /// (`not_an_object`), `"v"` (`missing_field`, `unsupported_version`), `"id"`
    /// (`missing_id`, `invalid_field`), `"type"` (`missing_field`, `invalid_field`,
    /// `unknown_type`), then the command's fields (`missing_field`, `invalid_field`).
    /// Once the id is readable every error carries it. Unknown fields are ignored.
    ///
    /// Two reads, one result: a message as clients write it (one flat object, no
    /// whitespace, no escapes) is read without `JSONDecoder` (``FlatObjectReader``), any
    /// other by `JSONDecoder` into ``JSONValue``s (``decodeGeneral(_:maxBytes:)``). Both
    /// give the same members for a flat text, which then go through the same checks and
    /// the command's descriptor (``CommandTable``), so they give the same result for every
    /// text; the fuzzer and the tests compare them.
    public static func decode(_ text: String, maxBytes: Int = 64 * 1024) -> Result<ClientEnvelope, ProtocolError> {
        Result { () throws(ProtocolError) in
            guard text.utf8.count <= maxBytes else { throw .messageTooLarge(limit: maxBytes) }
            if let members = FlatObjectReader.members(of: text) { return try envelope(WireObject(members)) }
            return try envelope(topLevelObject(text))
        }
    }

    /// Decodes like ``decode(_:maxBytes:)`` without the flat read: every text through
    /// `JSONDecoder`, as a message that is not flat is read; kept so that tests and the
    /// fuzzer can check that both reads agree.
    @_spi(Testing) public static func decodeGeneral(_ text: String, maxBytes: Int = 64 * 1024)
        -> Result<ClientEnvelope, ProtocolError>
    {
        Result { () throws(ProtocolError) in
            guard text.utf8.count <= maxBytes else { throw .messageTooLarge(limit: maxBytes) }
            return try envelope(topLevelObject(text))
        }
    }

    /// The command in a message object: checks `"v"`, `"id"`, `"type"`, then the fields.
    private static func envelope(_ object: WireObject) throws(ProtocolError) -> ClientEnvelope {
        let id = readableID(object)
        let message = WireObject(object.members, commandID: id)
        try checkVersion(message)
        guard let id else {
            guard message.value("id") != nil else { throw .missingID() }
            throw message.invalid("id", "a string of 1 to \(CommandID.maximumLength) printable ASCII characters")
        }
        let type = try message.string("type")
        guard let command = try Command.decode(type: type, from: message) else {
            throw .unknownType(type, commandID: id)
        }
        return ClientEnvelope(id: id, command: command)
    }

    /// Parses the text and insists on an object.
    static func topLevelObject(_ text: String) throws(ProtocolError) -> WireObject {
        switch JSONValue.parse(text) {
        case .failure(let failure): throw protocolError(failure)
        case .success(.object(let members)): return WireObject(members)
        case .success: throw .notAnObject()
        }
    }

    private static func protocolError(_ failure: JSONValue.ParseFailure) -> ProtocolError {
        switch failure {
        case .tooDeep: .tooDeep()
        case .malformed: .malformedJSON()
        }
    }

    /// `"v"` must be present and equal to ``ProtocolVersion/current``.
    static func checkVersion(_ message: WireObject) throws(ProtocolError) {
        guard let version = message.value("v") else { throw message.missing("v") }
        guard version == .int(Int64(ProtocolVersion.current)) else {
            throw .unsupportedVersion(commandID: message.commandID)
        }
    }

    private static func readableID(_ object: WireObject) -> CommandID? {
        guard case .string(let raw)? = object.value("id") else { return nil }
        let id = CommandID(raw)
        return id.isValidOnWire ? id : nil
    }
}

/// A client-side encoder for commands (the terminal client and tests use it).
public enum ClientMessageEncoder {
    /// `{"v":1,"type":…,"id":…,…fields}` in that fixed order.
    public static func encode(_ envelope: ClientEnvelope) -> String {
        var object = ObjectBuilder(type: envelope.command.wireType, version: true)
        object.put("id", .string(envelope.id.rawValue))
        object.put(envelope.command.wireFields)
        return JSONWriter.string(object.value)
    }
}
