import RoomCore
import RoomProtocol

/// What a line typed by the member asks for.
public enum ParsedInput: Sendable, Hashable {
    /// A command for the room.
    case command(Command)
    /// Show the commands this member's role may use.
    case help
    /// Leave the room.
    case quit
    /// Nothing to do (an empty line).
    case nothing
    /// A command that must be confirmed before it is sent (it ends something for
    /// everyone): show `question`; ``ConfirmationGate`` turns a repeat into `command`.
    case confirm(Command, question: String)
    /// The line could not be used; the text says why and how to fix it.
    case invalid(String)
}

/// One slash command: its name, arguments, who may use it and what it does.
public struct SlashCommand: Sendable, Hashable {
    /// The name without the slash, e.g. `admit`.
    public let name: String
    /// The argument synopsis, e.g. `NAME`.
    public let arguments: String
    /// Who may use it (nil: everyone).
    public let role: Role?
    /// One line of help.
    public let summary: String
}

/// Turns typed lines (`/admit River`, `/answer 6 hopeful`, plain text) into room
/// commands, resolving aliases through the view model. Pure.
public enum InputParser {
    /// Every slash command, in help order.
    public static let commands: [SlashCommand] = [
        .init(name: "accept", arguments: "", role: .participant, summary: "accept the group agreement"),
        .init(
            name: "answer", arguments: "VALUES…", role: .participant,
            summary: "answer the check-in, e.g. /answer 6 hopeful"),
        .init(name: "pass", arguments: "", role: .participant, summary: "pass on the check-in"),
        .init(name: "hand", arguments: "", role: .participant, summary: "raise your hand"),
        .init(name: "lower", arguments: "", role: nil, summary: "lower your hand"),
        .init(name: "fac", arguments: "TEXT", role: .participant, summary: "private message to the facilitators"),
        .init(
            name: "crisis", arguments: "", role: .participant,
            summary: "privately alert the facilitators that you need help now"),
        .init(name: "sitout", arguments: "", role: .participant, summary: "sit the exercise out"),
        .init(name: "rejoin", arguments: "", role: .participant, summary: "rejoin the exercise"),
        .init(name: "away", arguments: "", role: nil, summary: "step away for a moment"),
        .init(name: "back", arguments: "", role: nil, summary: "come back"),
        .init(name: "delete", arguments: "ID", role: nil, summary: "delete one of your messages"),
        .init(name: "admit", arguments: "NAME", role: .facilitator, summary: "admit someone from the waiting room"),
        .init(name: "decline", arguments: "NAME", role: .facilitator, summary: "decline someone in the waiting room"),
        .init(name: "lock", arguments: "", role: .facilitator, summary: "lock the room to newcomers"),
        .init(name: "unlock", arguments: "", role: .facilitator, summary: "unlock the room"),
        .init(
            name: "floor", arguments: "[NAME]", role: .facilitator,
            summary: "give the floor (to the next hand without NAME)"),
        .init(name: "takefloor", arguments: "", role: .facilitator, summary: "take the floor back"),
        .init(name: "clearhand", arguments: "NAME", role: .facilitator, summary: "lower someone's hand"),
        .init(name: "mute", arguments: "NAME", role: .facilitator, summary: "mute a participant"),
        .init(name: "unmute", arguments: "NAME", role: .facilitator, summary: "unmute a participant"),
        .init(name: "muteall", arguments: "", role: .facilitator, summary: "mute every participant"),
        .init(name: "unmuteall", arguments: "", role: .facilitator, summary: "unmute every participant"),
        .init(name: "pausechat", arguments: "", role: .facilitator, summary: "pause group chat"),
        .init(name: "resumechat", arguments: "", role: .facilitator, summary: "resume group chat"),
        .init(name: "remove", arguments: "NAME", role: .facilitator, summary: "remove a participant for the session"),
        .init(name: "whisper", arguments: "NAME TEXT", role: nil, summary: "private message to one member"),
        .init(name: "sr", arguments: "TEXT", role: nil, summary: "message in your side room"),
        .init(name: "bc", arguments: "TEXT", role: .facilitator, summary: "message the facilitators' back channel"),
        .init(name: "redact", arguments: "ID", role: .facilitator, summary: "redact a message"),
        .init(
            name: "checkin", arguments: "TEMPLATE [SECONDS]", role: .facilitator,
            summary: "start a check-in (mood, craving, rose-thorn)"),
        .init(name: "closecheckin", arguments: "", role: .facilitator, summary: "close the check-in round"),
        .init(name: "exercise", arguments: "ID", role: .facilitator, summary: "start an exercise, e.g. box-breathing"),
        .init(name: "expause", arguments: "", role: .facilitator, summary: "pause the exercise"),
        .init(name: "exresume", arguments: "", role: .facilitator, summary: "resume the exercise"),
        .init(name: "skip", arguments: "", role: .facilitator, summary: "skip to the next phase"),
        .init(name: "exstop", arguments: "", role: .facilitator, summary: "stop the exercise"),
        .init(
            name: "ack", arguments: "[ALERT]", role: .facilitator,
            summary: "acknowledge a crisis alert (the oldest open one)"),
        .init(name: "agenda", arguments: "INDEX", role: .facilitator, summary: "start an agenda item"),
        .init(name: "side", arguments: "NAME", role: .facilitator, summary: "open a side room with a participant"),
        .init(name: "unside", arguments: "NAME", role: .facilitator, summary: "close a side room"),
        .init(
            name: "end", arguments: "", role: .facilitator,
            summary: "end the session for everyone (asks first: /end again within 10 s confirms)"),
        .init(
            name: "end!", arguments: "", role: .facilitator,
            summary: "end the session for everyone at once, without asking (for scripts)"),
        .init(
            name: "poll", arguments: "\"QUESTION\" A | B …", role: .facilitator,
            summary: "ask an anonymous poll (2-6 options, or --scale; --to facilitators, --close-after 2m)"),
        .init(name: "closepoll", arguments: "", role: .facilitator, summary: "close the open poll"),
        .init(
            name: "vote", arguments: "N", role: .participant,
            summary: "answer the open poll: an option's number, or 0-10 on a scale (anonymous, once)"),
        .init(
            name: "react", arguments: "ID me-too|thanks|support", role: nil,
            summary: "react to a group message (its [ID]); /unreact takes it back"),
        .init(name: "unreact", arguments: "ID me-too|thanks|support", role: nil, summary: "take a reaction back"),
        .init(
            name: "cue", arguments: "pause|speak|ok|clear", role: .participant,
            summary: "show the facilitators a cue: I need a pause, I'd like to speak, I'm OK"),
        .init(
            name: "balance", arguments: "[mark]", role: .facilitator,
            summary: "participation balance; mark: count \"not yet heard\" from now"),
        .init(
            name: "card", arguments: "CARD-ID|off", role: .facilitator,
            summary: "show the room a skills card (e.g. dbt-stop, cbt-thought-record); off takes it down"),
        .init(
            name: "fill", arguments: "N TEXT", role: .participant,
            summary: "fill in field N of the skills card on show (private: only you see it)"),
        .init(name: "share", arguments: "", role: .participant, summary: "show the facilitators what you filled in"),
        .init(
            name: "breakout", arguments: "N [random|balanced] [10m] | assign A,B | C,D [10m]", role: .facilitator,
            summary: "split the participants into breakout groups for a while (10 minutes unless given)"),
        .init(name: "visit", arguments: "N", role: .facilitator, summary: "join breakout group N: see and speak in it"),
        .init(name: "broadcast", arguments: "TEXT", role: .facilitator, summary: "write to every breakout group"),
        .init(name: "return", arguments: "", role: .facilitator, summary: "bring everyone back from the groups"),
        .init(
            name: "absent", arguments: "MEMBER-ID excused|unexcused|rescheduled|clear [SESSION]", role: .facilitator,
            summary: "record why an expected member missed a session (the open one unless named)"),
        .init(name: "help", arguments: "", role: nil, summary: "show these commands"),
        .init(name: "quit", arguments: "", role: nil, summary: "leave the room"),
    ]

    /// The commands a member of `role` may use.
    public static func commands(for role: Role) -> [SlashCommand] {
        commands.filter { $0.role == nil || $0.role == role }
    }

    /// The help text for `role`, one command a line.
    public static func help(for role: Role, activities: ActivityMenu = ActivityMenu()) -> [String] {
        let list = commands(for: role)
        let width = list.map { $0.name.count + $0.arguments.count + 2 }.max() ?? 0
        var lines = list.map { command in
            let left = "/\(command.name)" + (command.arguments.isEmpty ? "" : " \(command.arguments)")
            return left.padding(to: width) + "  " + command.summary
        }
        lines.append("Anything else you type is sent to the group (in a side room, to the side room).")
        let agenda = activities.agenda.map {
            ActivityMenu.Item(id: "\($0.id) \($0.title)", title: $0.title, duration: $0.duration)
        }
        lines += menuLines("Exercises", activities.exercises)
        lines += menuLines("Check-ins", activities.checkIns)
        lines += menuLines("Agenda (/agenda N)", agenda)
        return lines
    }

    /// `Exercises: box-breathing (4 min), grounding-54321 (5 min)`, or nothing for an empty list.
    private static func menuLines(_ heading: String, _ items: [ActivityMenu.Item]) -> [String] {
        guard !items.isEmpty else { return [] }
        let entries = items.map { item in
            item.id + (item.duration.map { " (\(max(1, ($0.milliseconds + 30_000) / 60_000)) min)" } ?? "")
        }
        return ["\(heading): \(entries.joined(separator: ", "))"]
    }

    /// Parses one line typed by the member.
    public static func parse(_ line: String, in model: RoomViewModel) -> ParsedInput {
        let trimmed = line.trimmingWhitespace()
        guard !trimmed.isEmpty else { return .nothing }
        guard trimmed.hasPrefix("/"), !trimmed.hasPrefix("//") else {
            let text = trimmed.hasPrefix("//") ? String(trimmed.dropFirst()) : trimmed
            let content = ConfidentialText(text)
            let inSideRoom = model.role == .participant && model.sideRooms.contains { $0.participant == model.me?.id }
            return .command(inSideRoom ? .sideRoomMessage(content) : .sendChat(content))  // a side room is private
        }
        let body = trimmed.dropFirst()
        let name = body.prefix { $0 != " " }.lowercased()
        let rest = body.dropFirst(name.count).drop { $0 == " " }
        guard let known = commands.first(where: { $0.name == name }) else {
            return .invalid("Unknown command /\(name). Type /help for the list.")
        }
        if let role = known.role, role != model.role {
            return .invalid("/\(name) is for \(role == .facilitator ? "facilitators" : "participants").")
        }
        return parse(name, String(rest), in: model)
    }
}

extension String {
    /// Without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }

    /// Padded with spaces to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
