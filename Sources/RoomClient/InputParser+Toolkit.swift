import RoomCore

extension InputParser {
    /// Parses one of the toolkit's slash commands (`/poll`, `/vote`, `/react`…), or nil for another name.
    static func toolkit(_ name: String, _ rest: String, in model: RoomViewModel) -> ParsedInput? {
        switch name {
        case "poll": return poll(rest)
        case "closepoll": return .command(.closePoll)
        case "vote": return vote(rest, in: model)
        case "react", "unreact": return reaction(name, rest)
        case "cue": return cue(rest)
        case "balance":
            switch rest.trimmingWhitespace().lowercased() {
            case "": return .command(.getBalance)
            case "mark": return .command(.markBalance)
            default: return .invalid("Usage: /balance, or /balance mark")
            }
        default: return nil
        }
    }

    /// `/poll [--scale] [--to facilitators|group] [--close-after 90s|2m] "Question?" a | b | c`;
    /// without quotes the question ends at the first `|`.
    static func poll(_ rest: String) -> ParsedInput {
        var words = Substring(rest.trimmingWhitespace())
        var scale = false
        var audience = PollAudience.group
        var timeout: Duration?
        let usage = ParsedInput.invalid(
            "Usage: /poll [--scale] [--to facilitators] [--close-after 2m] \"QUESTION\" A | B | C")
        while words.hasPrefix("--") {
            let flag = words.prefix { $0 != " " }
            words = words.dropFirst(flag.count).drop { $0 == " " }
            switch flag {
            case "--scale": scale = true
            case "--to", "--close-after":
                let value = words.prefix { $0 != " " }
                words = words.dropFirst(value.count).drop { $0 == " " }
                if flag == "--to" {
                    guard let chosen = PollAudience(rawValue: String(value)) else { return usage }
                    audience = chosen
                } else {
                    guard let duration = Self.duration(String(value)) else { return usage }
                    timeout = duration
                }
            default: return usage
            }
        }
        let question: String
        var remainder: Substring
        if words.hasPrefix("\"") {
            let body = words.dropFirst()
            guard let end = body.firstIndex(of: "\"") else { return usage }
            question = String(body[..<end])
            remainder = body[body.index(after: end)...]
        } else {
            let upTo = words.prefix { $0 != "|" }
            question = String(upTo)
            remainder = words.dropFirst(upTo.count)
        }
        remainder = remainder.drop { $0 == " " || $0 == "|" }
        let options = remainder.split(separator: "|").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        guard !question.trimmingWhitespace().isEmpty else { return usage }
        let choices: PollChoices
        if scale {
            guard options.isEmpty else { return .invalid("A --scale poll has no options: it is 0 to 10.") }
            choices = .scale
        } else {
            guard PollChoices.optionCount.contains(options.count) else {
                return .invalid("A poll has 2 to 6 options, separated by |, or --scale for 0 to 10.")
            }
            choices = .options(options.map(ConfidentialText.init))
        }
        return .command(
            .askPoll(
                PollRequest(
                    question: ConfidentialText(question.trimmingWhitespace()), choices: choices, audience: audience,
                    timeout: timeout)))
    }

    /// `90`, `90s`, `2m`: whole seconds or minutes, up to 24 hours.
    static func duration(_ text: String) -> Duration? {
        let unit: Int64 = text.hasSuffix("m") ? 60 : 1
        let digits = text.hasSuffix("m") || text.hasSuffix("s") ? String(text.dropLast()) : text
        guard let value = Int64(digits), value > 0, value * unit <= 86_400 else { return nil }
        return .seconds(value * unit)
    }

    /// `/vote N`: options are numbered from 1 on screen; a scale's value is itself.
    static func vote(_ rest: String, in model: RoomViewModel) -> ParsedInput {
        guard let poll = model.toolkit.poll, model.toolkit.pollOpen else { return .invalid("No poll is open.") }
        guard let number = Int(rest.trimmingWhitespace()) else { return .invalid("Usage: /vote N") }
        switch poll.choices {
        case .options(let options):
            guard (1...options.count).contains(number) else {
                return .invalid("Give an option's number, from 1 to \(options.count).")
            }
            return .command(.votePoll(poll: poll.poll, choice: number - 1))
        case .scale:
            guard PollChoices.scaleRange.contains(number) else { return .invalid("Give a number from 0 to 10.") }
            return .command(.votePoll(poll: poll.poll, choice: number))
        }
    }

    /// The reactions by the names typed: `me-too`, `metoo`, `thanks`, `support`…
    static let reactionNames: [String: ReactionKind] = [
        "me-too": .meToo, "metoo": .meToo, "me_too": .meToo, "thanks": .thankYou, "thank-you": .thankYou,
        "thank_you": .thankYou, "thankyou": .thankYou, "support": .support,
    ]

    static func reaction(_ name: String, _ rest: String) -> ParsedInput {
        let words = rest.split(separator: " ").map { String($0).lowercased() }
        guard words.count == 2, let id = UInt64(words[0].trimmingCharacters(in: "[]")),
            let kind = reactionNames[words[1]]
        else { return .invalid("Usage: /\(name) ID me-too|thanks|support (ID: the message's number in [ ])") }
        return .command(name == "react" ? .react(MessageID(id), kind) : .unreact(MessageID(id), kind))
    }

    static func cue(_ rest: String) -> ParsedInput {
        switch rest.trimmingWhitespace().lowercased() {
        case "pause": .command(.setCue(.pause))
        case "speak": .command(.setCue(.wantToSpeak))
        case "ok": .command(.setCue(.ok))
        case "clear": .command(.clearCue)
        default: .invalid("Usage: /cue pause|speak|ok|clear")
        }
    }
}

extension String {
    /// Without the given characters at either end.
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
