import RoomCore

/// The commands of protocol v1: one ``CommandDescriptor`` each, the only place a
/// command's wire name and fields are written down.
///
/// Adding a command: a case in RoomCore's `Command`, a descriptor here (and in ``all``),
/// its line in `Command.wireForm` (the compiler asks for it), a row in docs/PROTOCOL.md
/// (the documentation test asks for it) and a sample in the tests (the round trip test
/// asks for it).
enum CommandTable {
    // MARK: Agreement and admission
    static let acceptAgreement = CommandDescriptor("agreement.accept", .identifier("version")) {
        .acceptAgreement(version: $0)
    }
    static let admit = CommandDescriptor("waiting.admit", .member("member"), Command.admit)
    static let decline = CommandDescriptor("waiting.decline", .member("member"), Command.decline)
    static let lockRoom = CommandDescriptor("room.lock", .lockRoom)
    static let unlockRoom = CommandDescriptor("room.unlock", .unlockRoom)

    // MARK: Messages
    static let sendChat = CommandDescriptor("chat.send", .text, Command.sendChat)
    static let messageFacilitators = CommandDescriptor("chat.to_facilitators", .text, Command.messageFacilitators)
    static let privateMessage = CommandDescriptor("chat.private", .member("to"), .text) {
        .privateMessage(to: $0, $1)
    }
    static let backChannel = CommandDescriptor("chat.back_channel", .text, Command.backChannel)
    static let sideRoomMessage = CommandDescriptor("chat.side_room", .text, Command.sideRoomMessage)
    static let deleteMessage = CommandDescriptor("chat.delete", .unsigned("message")) { .deleteMessage(MessageID($0)) }
    static let redactMessage = CommandDescriptor("chat.redact", .unsigned("message")) { .redactMessage(MessageID($0)) }

    // MARK: Hands and floor
    static let raiseHand = CommandDescriptor("hand.raise", .raiseHand)
    static let lowerHand = CommandDescriptor("hand.lower", .lowerHand)
    static let clearHand = CommandDescriptor("hand.clear", .member("member"), Command.clearHand)
    static let giveFloor = CommandDescriptor("floor.give", .optionalMember("member")) { .giveFloor(to: $0) }
    static let takeFloor = CommandDescriptor("floor.take", .takeFloor)

    // MARK: Moderation
    static let mute = CommandDescriptor("member.mute", .member("member"), Command.mute)
    static let unmute = CommandDescriptor("member.unmute", .member("member"), Command.unmute)
    static let muteAll = CommandDescriptor("room.mute_all", .muteAll)
    static let unmuteAll = CommandDescriptor("room.unmute_all", .unmuteAll)
    static let pauseChat = CommandDescriptor("chat.pause", .pauseChat)
    static let resumeChat = CommandDescriptor("chat.resume", .resumeChat)
    static let remove = CommandDescriptor("member.remove", .member("member"), Command.remove)
    static let endSession = CommandDescriptor("session.end", .endSession)

    // MARK: Check-in
    /// The longest check-in round timeout a command may ask for: 24 hours.
    static let maximumTimeoutMilliseconds: Int64 = 86_400_000
    /// `timeoutMs` is checked before `template`, as protocol v1 always has.
    static let startCheckIn = CommandDescriptor(
        "checkin.start", .identifier("template"),
        .optionalMilliseconds("timeoutMs", in: 0...maximumTimeoutMilliseconds), checking: .secondFirst
    ) { .startCheckIn(templateID: $0, timeout: $1) }
    static let answerCheckIn = CommandDescriptor("checkin.answer", .answers, Command.answerCheckIn)
    static let passCheckIn = CommandDescriptor("checkin.pass", .passCheckIn)
    static let closeCheckIn = CommandDescriptor("checkin.close", .closeCheckIn)

    // MARK: Exercises
    static let startExercise = CommandDescriptor("exercise.start", .identifier("exercise")) {
        .startExercise(exerciseID: $0)
    }
    static let pauseExercise = CommandDescriptor("exercise.pause", .pauseExercise)
    static let resumeExercise = CommandDescriptor("exercise.resume", .resumeExercise)
    static let skipExercisePhase = CommandDescriptor("exercise.skip", .skipExercisePhase)
    static let stopExercise = CommandDescriptor("exercise.stop", .stopExercise)
    static let sitOutExercise = CommandDescriptor("exercise.sit_out", .sitOutExercise)
    static let rejoinExercise = CommandDescriptor("exercise.rejoin", .rejoinExercise)

    // MARK: Safety
    static let crisisAlert = CommandDescriptor("crisis.alert", .crisisAlert)
    static let acknowledgeCrisis = CommandDescriptor("crisis.acknowledge", .unsigned("alert")) {
        .acknowledgeCrisis(AlertID($0))
    }

    // MARK: Agenda, presence, side room, connection
    static let startAgendaItem = CommandDescriptor("agenda.start", .wholeNumber("index", in: 0...Int64(Int32.max))) {
        .startAgendaItem(index: $0)
    }
    static let endAgenda = CommandDescriptor("agenda.end", .endAgenda)
    static let stepOut = CommandDescriptor("presence.step_out", .stepOut)
    static let comeBack = CommandDescriptor("presence.come_back", .comeBack)
    static let openSideRoom = CommandDescriptor("side_room.open", .member("member")) { .openSideRoom(with: $0) }
    static let closeSideRoom = CommandDescriptor("side_room.close", .member("member")) { .closeSideRoom(with: $0) }
    static let ping = CommandDescriptor("ping", .ping)

    /// Every descriptor, in documentation order.
    static let all: [AnyCommandDescriptor] =
        [
            acceptAgreement.erased, admit.erased, decline.erased, lockRoom.erased, unlockRoom.erased,
            sendChat.erased, messageFacilitators.erased, privateMessage.erased, backChannel.erased,
            sideRoomMessage.erased, deleteMessage.erased, redactMessage.erased,
            raiseHand.erased, lowerHand.erased, clearHand.erased, giveFloor.erased, takeFloor.erased,
            mute.erased, unmute.erased, muteAll.erased, unmuteAll.erased, pauseChat.erased, resumeChat.erased,
            remove.erased, endSession.erased,
            startCheckIn.erased, answerCheckIn.erased, passCheckIn.erased, closeCheckIn.erased,
            startExercise.erased, pauseExercise.erased, resumeExercise.erased, skipExercisePhase.erased,
            stopExercise.erased, sitOutExercise.erased, rejoinExercise.erased,
            crisisAlert.erased, acknowledgeCrisis.erased,
            startAgendaItem.erased, endAgenda.erased, stepOut.erased, comeBack.erased,
            openSideRoom.erased, closeSideRoom.erased,
        ] + toolkit + cards + breakouts + program + [ping.erased]

    /// The descriptor of each `"type"` (a repeated type would keep its first descriptor;
    /// `CommandTableTests` checks there is none).
    private static let byType = Dictionary(all.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })

    /// The descriptor of a command `"type"`, or nil for a type protocol v1 does not have.
    static func descriptor(ofType type: String) -> AnyCommandDescriptor? { byType[type] }
}
