import RoomCore

/// One command of the protocol as the wire knows it: its `"type"`, its fields, and how a
/// message object becomes the ``Command`` and the command becomes members again.
///
/// Every command has exactly one, in ``CommandTable``; the decoder, the encoder and the
/// documentation test read the wire name and the fields from it, nowhere else.
struct CommandDescriptor<Value>: Sendable {
    /// The `"type"` member, e.g. `chat.send`.
    let type: String
    /// The command's own fields, after `"v"`, `"type"` and `"id"`.
    let fields: WireFields<Value>
    /// The command these field values make.
    let make: @Sendable (Value) -> Command

    /// A command whose fields are `fields`, made by `make`.
    init(_ type: String, _ fields: WireFields<Value>, _ make: @escaping @Sendable (Value) -> Command) {
        self.type = type
        self.fields = fields
        self.make = make
    }

    /// Reads the fields from a message whose envelope is checked and makes the command.
    func decode(_ object: WireObject) throws(ProtocolError) -> Command { make(try fields.read(object)) }

    /// The type and the members of a command made from `value`.
    func encode(_ value: Value) -> (type: String, fields: [(String, JSONValue)]) {
        var members: [(String, JSONValue)] = []
        fields.write(value, &members)
        return (type, members)
    }

    /// The descriptor without its value type, as the table lists it.
    var erased: AnyCommandDescriptor {
        AnyCommandDescriptor(type: type, fields: fields.specs) { object throws(ProtocolError) in try decode(object) }
    }
}

extension CommandDescriptor where Value == Void {
    /// A command without fields.
    init(_ type: String, _ command: Command) {
        self.init(type, .none) { command }
    }

    /// The type of this command (no members).
    func encode() -> (type: String, fields: [(String, JSONValue)]) { (type, []) }
}

extension CommandDescriptor {
    /// A command with two fields, written in this order and checked in `order`.
    init<A, B>(
        _ type: String, _ first: WireFields<A>, _ second: WireFields<B>,
        checking order: WireFieldOrder = .asWritten, _ make: @escaping @Sendable (A, B) -> Command
    ) where Value == (A, B) {
        self.init(type, .pair(first, second, checking: order)) { make($0.0, $0.1) }
    }
}

/// A ``CommandDescriptor`` whatever its fields' types: what the decoder looks up by
/// `"type"` and the documentation test reads.
struct AnyCommandDescriptor: Sendable {
    /// The `"type"` member.
    let type: String
    /// The command's own fields, in the order they are written.
    let fields: [WireFieldSpec]
    /// Reads the fields from a message object and makes the command.
    let decode: @Sendable (WireObject) throws(ProtocolError) -> Command
}
