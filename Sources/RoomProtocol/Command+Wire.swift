import RoomCore

/// The wire form of every RoomCore ``Command``: a `"type"` and named fields.
extension Command {
    /// Every command type of protocol v1, in documentation order.
    static let wireTypes: [String] = [
        "agreement.accept", "waiting.admit", "waiting.decline", "room.lock", "room.unlock",
        "chat.send", "chat.to_facilitators", "chat.private", "chat.back_channel", "chat.side_room",
        "chat.delete", "chat.redact",
        "hand.raise", "hand.lower", "hand.clear", "floor.give", "floor.take",
        "member.mute", "member.unmute", "room.mute_all", "room.unmute_all", "chat.pause", "chat.resume",
        "member.remove", "session.end",
        "checkin.start", "checkin.answer", "checkin.pass", "checkin.close",
        "exercise.start", "exercise.pause", "exercise.resume", "exercise.skip", "exercise.stop",
        "exercise.sit_out", "exercise.rejoin",
        "crisis.alert", "crisis.acknowledge",
        "agenda.start", "agenda.end", "presence.step_out", "presence.come_back",
        "side_room.open", "side_room.close", "ping",
    ]

    /// The longest check-in round timeout a command may ask for: 24 hours.
    static let maximumTimeoutMilliseconds: Int64 = 86_400_000

    /// The `"type"` of this command.
    var wireType: String {
        switch self {
        case .acceptAgreement: "agreement.accept"
        case .admit: "waiting.admit"
        case .decline: "waiting.decline"
        case .lockRoom: "room.lock"
        case .unlockRoom: "room.unlock"
        case .sendChat: "chat.send"
        case .messageFacilitators: "chat.to_facilitators"
        case .privateMessage: "chat.private"
        case .backChannel: "chat.back_channel"
        case .sideRoomMessage: "chat.side_room"
        case .deleteMessage: "chat.delete"
        case .redactMessage: "chat.redact"
        case .raiseHand: "hand.raise"
        case .lowerHand: "hand.lower"
        case .clearHand: "hand.clear"
        case .giveFloor: "floor.give"
        case .takeFloor: "floor.take"
        case .mute: "member.mute"
        case .unmute: "member.unmute"
        case .muteAll: "room.mute_all"
        case .unmuteAll: "room.unmute_all"
        case .pauseChat: "chat.pause"
        case .resumeChat: "chat.resume"
        case .remove: "member.remove"
        case .endSession: "session.end"
        case .startCheckIn: "checkin.start"
        case .answerCheckIn: "checkin.answer"
        case .passCheckIn: "checkin.pass"
        case .closeCheckIn: "checkin.close"
        case .startExercise: "exercise.start"
        case .pauseExercise: "exercise.pause"
        case .resumeExercise: "exercise.resume"
        case .skipExercisePhase: "exercise.skip"
        case .stopExercise: "exercise.stop"
        case .sitOutExercise: "exercise.sit_out"
        case .rejoinExercise: "exercise.rejoin"
        case .crisisAlert: "crisis.alert"
        case .acknowledgeCrisis: "crisis.acknowledge"
        case .startAgendaItem: "agenda.start"
        case .endAgenda: "agenda.end"
        case .stepOut: "presence.step_out"
        case .comeBack: "presence.come_back"
        case .openSideRoom: "side_room.open"
        case .closeSideRoom: "side_room.close"
        case .ping: "ping"
        }
    }

    /// The command's own fields, after `"v"`, `"type"` and `"id"`.
    var wireFields: [(String, JSONValue)] {
        switch self {
        case .acceptAgreement(let version): [("version", .string(version))]
        case .admit(let member), .decline(let member), .clearHand(let member), .mute(let member),
            .unmute(let member), .remove(let member), .openSideRoom(let member), .closeSideRoom(let member):
            [("member", .id(member))]
        case .sendChat(let text), .messageFacilitators(let text), .backChannel(let text),
            .sideRoomMessage(let text):
            [("text", .string(text.revealed))]
        case .privateMessage(let target, let text): [("to", .id(target)), ("text", .string(text.revealed))]
        case .deleteMessage(let message), .redactMessage(let message): [("message", .unsigned(message.rawValue))]
        case .giveFloor(let target): target.map { [("member", .id($0))] } ?? []
        case .startCheckIn(let template, let timeout):
            [("template", .string(template))] + (timeout.map { [("timeoutMs", .milliseconds($0))] } ?? [])
        case .answerCheckIn(let answer): [("answers", answer.wireValue)]
        case .startExercise(let exercise): [("exercise", .string(exercise))]
        case .acknowledgeCrisis(let alert): [("alert", .unsigned(alert.rawValue))]
        case .startAgendaItem(let index): [("index", .number(index))]
        case .lockRoom, .unlockRoom, .raiseHand, .lowerHand, .takeFloor, .muteAll, .unmuteAll, .pauseChat,
            .resumeChat, .endSession, .passCheckIn, .closeCheckIn, .pauseExercise, .resumeExercise,
            .skipExercisePhase, .stopExercise, .sitOutExercise, .rejoinExercise, .crisisAlert, .endAgenda,
            .stepOut, .comeBack, .ping:
            []
        }
    }

    /// Decodes the command of this `"type"`, or `nil` if the type is unknown.
    static func decode(type: String, from object: WireObject) throws(ProtocolError) -> Command? {
        switch type {
        case "agreement.accept": return .acceptAgreement(version: try object.identifier("version"))
        case "waiting.admit": return .admit(try object.memberID("member"))
        case "waiting.decline": return .decline(try object.memberID("member"))
        case "room.lock": return .lockRoom
        case "room.unlock": return .unlockRoom
        case "chat.send": return .sendChat(try object.text())
        case "chat.to_facilitators": return .messageFacilitators(try object.text())
        case "chat.private": return .privateMessage(to: try object.memberID("to"), try object.text())
        case "chat.back_channel": return .backChannel(try object.text())
        case "chat.side_room": return .sideRoomMessage(try object.text())
        case "chat.delete": return .deleteMessage(MessageID(try object.uint64("message")))
        case "chat.redact": return .redactMessage(MessageID(try object.uint64("message")))
        case "hand.raise": return .raiseHand
        case "hand.lower": return .lowerHand
        case "hand.clear": return .clearHand(try object.memberID("member"))
        case "floor.give": return .giveFloor(to: try object.optionalMemberID("member"))
        case "floor.take": return .takeFloor
        case "member.mute": return .mute(try object.memberID("member"))
        case "member.unmute": return .unmute(try object.memberID("member"))
        case "room.mute_all": return .muteAll
        case "room.unmute_all": return .unmuteAll
        case "chat.pause": return .pauseChat
        case "chat.resume": return .resumeChat
        case "member.remove": return .remove(try object.memberID("member"))
        case "session.end": return .endSession
        default: return try decodeActivity(type: type, from: object)
        }
    }

    private static func decodeActivity(type: String, from object: WireObject) throws(ProtocolError) -> Command? {
        switch type {
        case "checkin.start":
            let timeout = try object.optionalInt64("timeoutMs", in: 0...maximumTimeoutMilliseconds)
            return .startCheckIn(
                templateID: try object.identifier("template"), timeout: timeout.map { .milliseconds($0) })
        case "checkin.answer": return .answerCheckIn(try CheckInAnswer(wire: object))
        case "checkin.pass": return .passCheckIn
        case "checkin.close": return .closeCheckIn
        case "exercise.start": return .startExercise(exerciseID: try object.identifier("exercise"))
        case "exercise.pause": return .pauseExercise
        case "exercise.resume": return .resumeExercise
        case "exercise.skip": return .skipExercisePhase
        case "exercise.stop": return .stopExercise
        case "exercise.sit_out": return .sitOutExercise
        case "exercise.rejoin": return .rejoinExercise
        case "crisis.alert": return .crisisAlert
        case "crisis.acknowledge": return .acknowledgeCrisis(AlertID(try object.uint64("alert")))
        case "agenda.start": return .startAgendaItem(index: try object.int("index", in: 0...Int64(Int32.max)))
        case "agenda.end": return .endAgenda
        case "presence.step_out": return .stepOut
        case "presence.come_back": return .comeBack
        case "ping": return .ping
        case "side_room.open": return .openSideRoom(with: try object.memberID("member"))
        case "side_room.close": return .closeSideRoom(with: try object.memberID("member"))
        default: return nil
        }
    }
}

extension WireObject {
    /// The confidential `"text"` field.
    func text() throws(ProtocolError) -> ConfidentialText { ConfidentialText(try string("text")) }
}

extension CheckInAnswer {
    /// Most fields an answer may carry.
    static let maximumFields = 32

    /// `{"field": 7, "other": "word"}`: a whole number is a score, a string is text;
    /// fields sorted by id so the bytes are deterministic.
    var wireValue: JSONValue {
        .object(
            values.sorted { $0.key < $1.key }.map { key, value in
                switch value {
                case .score(let score): (key, .number(score))
                case .text(let text): (key, .string(text.revealed))
                }
            })
    }

    /// Reads `"answers"` from a command (the field ids are never named in errors:
    /// they are the client's text).
    init(wire object: WireObject) throws(ProtocolError) {
        let answers = try object.object("answers")
        let expected = "an object of at most \(Self.maximumFields) fields, each a whole number or a string"
        guard answers.members.count <= Self.maximumFields else { throw object.invalid("answers", expected) }
        var values: [String: CheckInValue] = [:]
        for (key, value) in answers.members where values[key] == nil {
            guard key.utf8.count <= 64 else { throw object.invalid("answers", expected) }
            switch value {
            case .int(let score) where Int64(Int.min)...Int64(Int.max) ~= score: values[key] = .score(Int(score))
            case .string(let text): values[key] = .text(ConfidentialText(text))
            case .null: continue
            default: throw object.invalid("answers", expected)
            }
        }
        self.init(values)
    }
}
