import RoomCore

/// The wire form of every RoomCore ``Command``, read from its descriptor in ``CommandTable``.
extension Command {
    /// Every command type of protocol v1, in documentation order.
    static var wireTypes: [String] { CommandTable.all.map(\.type) }

    /// The `"type"` of this command.
    var wireType: String { wireForm.type }

    /// The command's own fields, after `"v"`, `"type"` and `"id"`.
    var wireFields: [(String, JSONValue)] { wireForm.fields }

    /// The `"type"` and the fields of this command, written by its descriptor. The switch
    /// has no default: a new command does not compile until it has its descriptor here.
    var wireForm: (type: String, fields: [(String, JSONValue)]) {
        switch self {
        case .acceptAgreement(let version): CommandTable.acceptAgreement.encode(version)
        case .admit(let member): CommandTable.admit.encode(member)
        case .decline(let member): CommandTable.decline.encode(member)
        case .lockRoom: CommandTable.lockRoom.encode()
        case .unlockRoom: CommandTable.unlockRoom.encode()
        case .sendChat(let text): CommandTable.sendChat.encode(text)
        case .messageFacilitators(let text): CommandTable.messageFacilitators.encode(text)
        case .privateMessage(let target, let text): CommandTable.privateMessage.encode((target, text))
        case .backChannel(let text): CommandTable.backChannel.encode(text)
        case .sideRoomMessage(let text): CommandTable.sideRoomMessage.encode(text)
        case .deleteMessage(let message): CommandTable.deleteMessage.encode(message.rawValue)
        case .redactMessage(let message): CommandTable.redactMessage.encode(message.rawValue)
        case .raiseHand: CommandTable.raiseHand.encode()
        case .lowerHand: CommandTable.lowerHand.encode()
        case .clearHand(let member): CommandTable.clearHand.encode(member)
        case .giveFloor(let target): CommandTable.giveFloor.encode(target)
        case .takeFloor: CommandTable.takeFloor.encode()
        case .mute(let member): CommandTable.mute.encode(member)
        case .unmute(let member): CommandTable.unmute.encode(member)
        case .muteAll: CommandTable.muteAll.encode()
        case .unmuteAll: CommandTable.unmuteAll.encode()
        case .pauseChat: CommandTable.pauseChat.encode()
        case .resumeChat: CommandTable.resumeChat.encode()
        case .remove(let member): CommandTable.remove.encode(member)
        case .endSession: CommandTable.endSession.encode()
        case .startCheckIn(let template, let timeout): CommandTable.startCheckIn.encode((template, timeout))
        case .answerCheckIn(let answer): CommandTable.answerCheckIn.encode(answer)
        case .passCheckIn: CommandTable.passCheckIn.encode()
        case .closeCheckIn: CommandTable.closeCheckIn.encode()
        case .startExercise(let exercise): CommandTable.startExercise.encode(exercise)
        case .pauseExercise: CommandTable.pauseExercise.encode()
        case .resumeExercise: CommandTable.resumeExercise.encode()
        case .skipExercisePhase: CommandTable.skipExercisePhase.encode()
        case .stopExercise: CommandTable.stopExercise.encode()
        case .sitOutExercise: CommandTable.sitOutExercise.encode()
        case .rejoinExercise: CommandTable.rejoinExercise.encode()
        case .crisisAlert: CommandTable.crisisAlert.encode()
        case .acknowledgeCrisis(let alert): CommandTable.acknowledgeCrisis.encode(alert.rawValue)
        case .startAgendaItem(let index): CommandTable.startAgendaItem.encode(index)
        case .endAgenda: CommandTable.endAgenda.encode()
        case .stepOut: CommandTable.stepOut.encode()
        case .comeBack: CommandTable.comeBack.encode()
        case .openSideRoom(let member): CommandTable.openSideRoom.encode(member)
        case .closeSideRoom(let member): CommandTable.closeSideRoom.encode(member)
        case .askPoll(let request): CommandTable.askPoll.encode(request)
        case .votePoll(let poll, let choice): CommandTable.votePoll.encode((poll, choice))
        case .closePoll: CommandTable.closePoll.encode()
        case .react(let message, let kind): CommandTable.react.encode((message.rawValue, kind))
        case .unreact(let message, let kind): CommandTable.unreact.encode((message.rawValue, kind))
        case .setCue(let cue): CommandTable.setCue.encode(cue)
        case .clearCue: CommandTable.clearCue.encode()
        case .getBalance: CommandTable.getBalance.encode()
        case .markBalance: CommandTable.markBalance.encode()
        case .showCard(let id): CommandTable.showCard.encode(id)
        case .withdrawCard: CommandTable.withdrawCard.encode()
        case .fillCard(let card, let field, let text): CommandTable.fillCard.encode(((card, field), text))
        case .shareCard(let card): CommandTable.shareCard.encode(card)
        case .startBreakout(let request): CommandTable.startBreakout.encode(request)
        case .visitBreakout(let group): CommandTable.visitBreakout.encode(group)
        case .broadcastToBreakouts(let text): CommandTable.broadcastToBreakouts.encode(text)
        case .endBreakout: CommandTable.endBreakout.encode()
        case .recordAbsence(let entry): CommandTable.wireForm(of: entry)
        case .clearAbsence(let member, let session): CommandTable.clearAbsence.encode((member, session))
        case .ping: CommandTable.ping.encode()
        }
    }

    /// Decodes the command of this `"type"`, or `nil` if the type is unknown.
    static func decode(type: String, from object: WireObject) throws(ProtocolError) -> Command? {
        guard let descriptor = CommandTable.descriptor(ofType: type) else { return nil }
        return try descriptor.decode(object)
    }
}

extension CheckInAnswer {
    /// Most fields an answer may carry.
    static let maximumFields = 32

    /// What a valid `"answers"` is, as its `invalid_field` message says.
    static let wireLimits = "an object of at most \(maximumFields) fields, each a whole number or a string"

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
        let expected = Self.wireLimits
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
