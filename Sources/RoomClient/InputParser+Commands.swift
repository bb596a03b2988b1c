import RoomCore

extension InputParser {
    static func parse(_ name: String, _ rest: String, in model: RoomViewModel) -> ParsedInput {
        let text = ConfidentialText(rest)
        switch name {
        case "help": return .help
        case "quit": return .quit
        case "accept":
            guard case .agreement(let agreement) = model.stage else {
                return .invalid("There is no agreement to accept right now.")
            }
            return .command(.acceptAgreement(version: agreement.version))
        case "answer": return answer(rest, in: model)
        case "pass": return .command(.passCheckIn)
        case "hand": return .command(.raiseHand)
        case "lower": return .command(.lowerHand)
        case "fac": return rest.isEmpty ? usage(name) : .command(.messageFacilitators(text))
        case "crisis": return .command(.crisisAlert)
        case "sitout": return .command(.sitOutExercise)
        case "rejoin": return .command(.rejoinExercise)
        case "away": return .command(.stepOut)
        case "back": return .command(.comeBack)
        case "delete": return number(rest, name) { .deleteMessage(MessageID($0)) }
        case "redact": return number(rest, name) { .redactMessage(MessageID($0)) }
        case "lock": return .command(.lockRoom)
        case "unlock": return .command(.unlockRoom)
        case "takefloor": return .command(.takeFloor)
        case "muteall": return .command(.muteAll)
        case "unmuteall": return .command(.unmuteAll)
        case "pausechat": return .command(.pauseChat)
        case "resumechat": return .command(.resumeChat)
        case "end": return .confirm(.endSession, question: ConfirmationGate.endQuestion)
        case "end!": return .command(.endSession)
        case "closecheckin": return .command(.closeCheckIn)
        case "expause": return .command(.pauseExercise)
        case "exresume": return .command(.resumeExercise)
        case "skip": return .command(.skipExercisePhase)
        case "exstop": return .command(.stopExercise)
        case "bc": return rest.isEmpty ? usage(name) : .command(.backChannel(text))
        case "sr": return rest.isEmpty ? usage(name) : .command(.sideRoomMessage(text))
        case "exercise": return rest.isEmpty ? usage(name) : .command(.startExercise(exerciseID: rest))
        case "agenda": return number(rest, name) { .startAgendaItem(index: Int($0)) }
        case "floor":
            if rest.isEmpty { return .command(.giveFloor(to: nil)) }
            return member(rest, in: model) { .giveFloor(to: $0) }
        case "checkin": return startCheckIn(rest)
        case "ack": return acknowledge(rest, in: model)
        case "whisper": return whisper(rest, in: model)
        case "breakout", "visit", "broadcast", "return": return breakouts(name, rest, in: model)
        case "absent": return absence(rest, in: model)
        default:
            return toolkit(name, rest, in: model) ?? cards(name, rest, in: model)
                ?? memberCommand(name, rest, in: model)
        }
    }

    private static func memberCommand(_ name: String, _ rest: String, in model: RoomViewModel) -> ParsedInput {
        let make: (MemberID) -> Command
        switch name {
        case "admit": make = { .admit($0) }
        case "decline": make = { .decline($0) }
        case "clearhand": make = { .clearHand($0) }
        case "mute": make = { .mute($0) }
        case "unmute": make = { .unmute($0) }
        case "remove": make = { .remove($0) }
        case "side": make = { .openSideRoom(with: $0) }
        case "unside": make = { .closeSideRoom(with: $0) }
        default: return .invalid("Unknown command /\(name). Type /help for the list.")
        }
        return rest.isEmpty ? usage(name) : member(rest, in: model, make)
    }

    private static func usage(_ name: String) -> ParsedInput {
        let command = commands.first { $0.name == name }
        return .invalid("Usage: /\(name) \(command?.arguments ?? "")".trimmingWhitespace())
    }

    private static func member(_ name: String, in model: RoomViewModel, _ make: (MemberID) -> Command) -> ParsedInput {
        guard let id = model.member(named: name) else {
            return .invalid("Nobody called “\(name)” is here.")
        }
        return .command(make(id))
    }

    private static func number(_ text: String, _ name: String, _ make: (UInt64) -> Command) -> ParsedInput {
        guard let value = UInt64(text.trimmingWhitespace()) else { return usage(name) }
        return .command(make(value))
    }

    private static func startCheckIn(_ rest: String) -> ParsedInput {
        let words = rest.split(separator: " ").map(String.init)
        guard let template = words.first, words.count <= 2 else { return usage("checkin") }
        var timeout: Duration?
        if words.count == 2 {
            guard let seconds = Int(words[1]), seconds >= 0, seconds <= 86_400 else { return usage("checkin") }
            timeout = .seconds(seconds)
        }
        return .command(.startCheckIn(templateID: template, timeout: timeout))
    }

    private static func acknowledge(_ rest: String, in model: RoomViewModel) -> ParsedInput {
        if let id = UInt64(rest.trimmingWhitespace()) { return .command(.acknowledgeCrisis(AlertID(id))) }
        guard rest.isEmpty else { return usage("ack") }
        guard let oldest = model.openAlerts.first else { return .invalid("No crisis alert is open.") }
        return .command(.acknowledgeCrisis(oldest.id))
    }

    private static func whisper(_ rest: String, in model: RoomViewModel) -> ParsedInput {
        let name = rest.prefix { $0 != " " }
        let text = rest.dropFirst(name.count).drop { $0 == " " }
        guard !name.isEmpty, !text.isEmpty else { return usage("whisper") }
        return member(String(name), in: model) { .privateMessage(to: $0, ConfidentialText(String(text))) }
    }

    /// `/answer 6 hopeful`: values in the template's field order; the last text field
    /// takes the rest of the line; several text fields are separated by `|`.
    private static func answer(_ rest: String, in model: RoomViewModel) -> ParsedInput {
        guard let round = model.checkIn else { return .invalid("No check-in round is open.") }
        var remaining = Substring(rest.trimmingWhitespace())
        var values: [String: CheckInValue] = [:]
        let fields = round.template.fields
        for (index, field) in fields.enumerated() {
            let isLast = index == fields.count - 1
            switch field.kind {
            case .scale(let range):
                let word = remaining.prefix { $0 != " " }
                guard let score = Int(word), range.contains(score) else {
                    return .invalid("\(field.prompt): give a number from \(range.lowerBound) to \(range.upperBound).")
                }
                values[field.id] = .score(score)
                remaining = remaining.dropFirst(word.count).drop { $0 == " " }
            case .word, .text:
                let piece = isLast ? remaining : remaining.prefix { $0 != "|" && ($0 != " " || !isWord(field)) }
                let value = String(piece).trimmingWhitespace().trimmingPipes()
                guard !value.isEmpty else { return .invalid("\(field.prompt): please add it after the number.") }
                values[field.id] = .text(ConfidentialText(value))
                remaining = remaining.dropFirst(piece.count).drop { $0 == " " || $0 == "|" }
            }
        }
        return .command(.answerCheckIn(CheckInAnswer(values)))
    }

    private static func isWord(_ field: CheckInField) -> Bool {
        if case .word = field.kind { return true }
        return false
    }
}

extension String {
    fileprivate func trimmingPipes() -> String {
        var text = Substring(self)
        while text.last == "|" || text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
