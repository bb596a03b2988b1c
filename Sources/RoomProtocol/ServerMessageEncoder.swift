import RoomCore

/// Encodes every server → client message as one compact JSON text.
///
/// Members are written in a fixed order (`"v"`, `"type"`, then the message's own),
/// so equal values always give identical text: the server encodes a broadcast
/// event once and sends the same bytes to every recipient.
public enum ServerMessageEncoder {
    /// `{"v":1,"type":"ack","id":…}`: the room accepted the command.
    public static func acknowledgement(_ id: CommandID) -> String {
        var object = ObjectBuilder(type: "ack", version: true)
        object.put("id", .string(id.rawValue))
        return JSONWriter.string(object.value)
    }

    /// `{"v":1,"type":"error","id":…,"code":…,"message":…}`: the room refused a valid command.
    public static func refusal(_ id: CommandID, _ error: RoomError) -> String {
        errorMessage(id: id, code: error.code, message: error.message)
    }

    /// The same shape for a message that could not be decoded; `"id"` only when it was readable.
    public static func protocolError(_ error: ProtocolError) -> String {
        errorMessage(id: error.commandID, code: error.code, message: error.message)
    }

    /// `{"v":1,"type":"event","seq":…,"time":…,"event":{"type":…,…}}`.
    public static func event(_ envelope: EventEnvelope) -> String {
        var object = ObjectBuilder(type: "event", version: true)
        object.put("seq", .unsigned(envelope.sequence))
        object.put("time", .time(envelope.time))
        object.put("event", envelope.event.wireValue)
        return JSONWriter.string(object.value)
    }

    /// `{"v":1,"type":"welcome",…}`: the first message after the upgrade, saying who the
    /// token made this connection and where it is.
    public static func welcome(member: MemberID, alias: String, role: Role, room: String, roomTitle: String)
        -> String
    {
        var object = ObjectBuilder(type: "welcome", version: true)
        object.put("member", .id(member))
        object.put("alias", .string(alias))
        object.put("role", role.wireValue)
        object.put("room", .string(room))
        object.put("roomTitle", .string(roomTitle))
        return JSONWriter.string(object.value)
    }

    /// `{"v":1,"type":"going_away","reason":…}`: the server is draining; the client should
    /// reconnect later (the close frame 1001 follows).
    public static func goingAway(reason: String) -> String {
        var object = ObjectBuilder(type: "going_away", version: true)
        object.put("reason", .string(reason))
        return JSONWriter.string(object.value)
    }

    /// `{"v":1,"type":"activities","exercises":[…],"checkIns":[…],"agenda":[…]}`: what a
    /// facilitator can start in the room, each as `{"id","title","durationMs"?}`.
    public static func activities(_ menu: ActivityMenu) -> String {
        var object = ObjectBuilder(type: "activities", version: true)
        object.put(menu.wireMembers)
        return JSONWriter.string(object.value)
    }

    private static func errorMessage(id: CommandID?, code: String, message: String) -> String {
        var object = ObjectBuilder(type: "error", version: true)
        object.put("id", id.map { .string($0.rawValue) })
        object.put("code", .string(code))
        object.put("message", .string(message))
        return JSONWriter.string(object.value)
    }
}
