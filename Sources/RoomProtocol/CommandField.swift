/// A member of a command that ``CommandObject`` reads typed: its name and the JSON kind
/// it has in a valid command.
struct CommandField: Sendable {
    /// How the typed read decodes a member.
    enum Kind: Sendable {
        /// `decode(String.self)`.
        case string
        /// `decode(Int64.self)`.
        case integer
        /// `decode(JSONValue.self)`, as the general read does.
        case any
    }

    let name: String
    let kind: Kind

    static let type = CommandField(name: "type", kind: .string)
    /// `"v"` and `"id"`, which every command has besides `"type"`.
    static let envelope = [CommandField(name: "v", kind: .integer), CommandField(name: "id", kind: .string)]

    private static let none: [CommandField] = []
    private static let text = [CommandField(name: "text", kind: .string)]
    private static let member = [CommandField(name: "member", kind: .string)]
    private static let message = [CommandField(name: "message", kind: .integer)]
    private static let privateMessage = [CommandField(name: "to", kind: .string)] + text
    private static let answers = [CommandField(name: "answers", kind: .any)]
    private static let checkInStart = [
        CommandField(name: "template", kind: .string), CommandField(name: "timeoutMs", kind: .integer),
    ]
    private static let version = [CommandField(name: "version", kind: .string)]
    private static let exercise = [CommandField(name: "exercise", kind: .string)]
    private static let alert = [CommandField(name: "alert", kind: .integer)]
    private static let index = [CommandField(name: "index", kind: .integer)]

    /// The fields a command of this `"type"` reads (see `Command.decode(type:from:)`); nil
    /// for a type the typed read leaves to the general one.
    ///
    /// A field missing here only sends its command down the general read; one too many
    /// only costs a lookup. `TypedReadTests` checks that every command takes the typed read.
    static func fields(ofType type: String) -> [CommandField]? {
        switch type {
        case "chat.send", "chat.to_facilitators", "chat.back_channel", "chat.side_room": text
        case "chat.private": privateMessage
        case "chat.delete", "chat.redact": message
        case "waiting.admit", "waiting.decline", "hand.clear", "floor.give", "member.mute", "member.unmute",
            "member.remove", "side_room.open", "side_room.close":
            member
        case "hand.raise", "hand.lower", "floor.take", "ping", "room.lock", "room.unlock", "room.mute_all",
            "room.unmute_all", "chat.pause", "chat.resume", "session.end", "checkin.pass", "checkin.close",
            "exercise.pause", "exercise.resume", "exercise.skip", "exercise.stop", "exercise.sit_out",
            "exercise.rejoin", "crisis.alert", "agenda.end", "presence.step_out", "presence.come_back":
            none
        default: activityFields(ofType: type)
        }
    }

    private static func activityFields(ofType type: String) -> [CommandField]? {
        switch type {
        case "checkin.answer": answers
        case "checkin.start": checkInStart
        case "agreement.accept": version
        case "exercise.start": exercise
        case "crisis.acknowledge": alert
        case "agenda.start": index
        default: nil
        }
    }
}
