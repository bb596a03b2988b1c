import RoomCore

/// One server message and the command it answers with success, if any: the `ack`'s
/// id, or under `iop.v2` the `"ack"` of an event that is its sender's own copy
/// (docs/PROTOCOL.md, "Versions"). A client that reads frames this way handles a v1
/// and a v2 server alike.
public struct ServerFrame: Sendable, Hashable {
    /// The message.
    public var message: ServerMessage
    /// The command this frame acknowledges: an `ack`'s `"id"`, or an event's `"ack"`.
    public var acknowledges: CommandID?

    /// Creates a value from all of its fields.
    public init(message: ServerMessage, acknowledges: CommandID?) {
        self.message = message
        self.acknowledges = acknowledges
    }

    /// Decodes one text frame from the server, as ``ServerMessage/decode(_:)`` does,
    /// reading an event's `"ack"` too.
    public static func decode(_ text: String) -> Result<ServerFrame, ProtocolError> {
        Result { () throws(ProtocolError) in
            let object = try ClientMessageDecoder.topLevelObject(text)
            try ClientMessageDecoder.checkVersion(object)
            let message = try ServerMessage(wire: object)
            switch message {
            case .ack(let id):
                return ServerFrame(message: message, acknowledges: id)
            case .event:
                let ack = try object.optionalString("ack", maxBytes: CommandID.maximumLength)?.get()
                return ServerFrame(message: message, acknowledges: ack.map { CommandID($0) })
            case .welcome, .error, .goingAway, .activities, .schedule, .sessionReminder, .expected:
                return ServerFrame(message: message, acknowledges: nil)
            }
        }
    }
}

extension ServerMessageEncoder {
    /// The sender's own copy of an event under `iop.v2`: `eventText` (the bytes from
    /// ``event(_:)`` every other recipient gets) with `"ack":<id>` as its last member.
    /// Made from those bytes, so the event is encoded once whoever sent it.
    public static func ownCopy(_ eventText: String, acknowledging id: CommandID) -> String {
        var bytes = Array(eventText.utf8)
        guard bytes.last == UInt8(ascii: "}") else { return eventText }
        bytes.removeLast()
        bytes.append(contentsOf: #","ack":"#.utf8)
        bytes.append(contentsOf: JSONWriter.string(.string(id.rawValue)).utf8)
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
