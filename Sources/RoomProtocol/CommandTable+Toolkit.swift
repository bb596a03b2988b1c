import RoomCore

/// The facilitation toolkit's commands: polls, reactions, cues and the participation
/// balance (listed in ``CommandTable/all`` with the rest).
extension CommandTable {
    // MARK: Polls
    static let askPoll = CommandDescriptor("poll.ask", .pollRequest, Command.askPoll)
    static let votePoll = CommandDescriptor(
        "poll.vote", .unsigned("poll"), .wholeNumber("choice", in: 0...Int64(PollChoices.scaleRange.upperBound))
    ) { .votePoll(poll: $0, choice: $1) }
    static let closePoll = CommandDescriptor("poll.close", .closePoll)

    // MARK: Reactions and cues
    static let react = CommandDescriptor("reaction.add", .unsigned("message"), .oneOf("reaction")) {
        .react(MessageID($0), $1)
    }
    static let unreact = CommandDescriptor("reaction.remove", .unsigned("message"), .oneOf("reaction")) {
        .unreact(MessageID($0), $1)
    }
    static let setCue = CommandDescriptor("cue.set", .oneOf("cue")) { Command.setCue($0) }
    static let clearCue = CommandDescriptor("cue.clear", .clearCue)

    // MARK: Balance
    static let getBalance = CommandDescriptor("balance.get", .getBalance)
    static let markBalance = CommandDescriptor("balance.mark", .markBalance)

    /// The toolkit's descriptors, in documentation order.
    static let toolkit: [AnyCommandDescriptor] = [
        askPoll.erased, votePoll.erased, closePoll.erased, react.erased, unreact.erased, setCue.erased,
        clearCue.erased, getBalance.erased, markBalance.erased,
    ]
}

extension WireFields where Value: RawRepresentable & CaseIterable & Sendable, Value.RawValue == String {
    /// One of the enum's snake_case names.
    static func oneOf(_ name: String) -> WireFields {
        let names = Value.allCases.map(\.rawValue).sorted().map { "\"\($0)\"" }.joined(separator: ", ")
        return .one(WireFieldSpec(name: name, type: .string, isRequired: true, limits: "one of \(names)")) {
            object throws(ProtocolError) in
            try object.choice(name, Dictionary(uniqueKeysWithValues: Value.allCases.map { ($0.rawValue, $0) }))
        } write: {
            .string($0.rawValue)
        }
    }
}

extension WireFields where Value == PollRequest {
    /// The longest question or option on the wire, in bytes (the room's own limit,
    /// 300 characters, is checked in the room).
    static var pollTextBytes: Int { 4 * 300 + 64 }

    /// `question`, `options` (omitted for the 0–10 scale), `audience`, `timeoutMs`.
    static var pollRequest: WireFields {
        let textLimits = "a non-empty string of at most \(pollTextBytes) bytes"
        let timeouts = 0...CommandTable.maximumTimeoutMilliseconds
        let specs = [
            WireFieldSpec(name: "question", type: .string, isRequired: true, limits: textLimits),
            WireFieldSpec(
                name: "options", type: .array, isRequired: false,
                limits: "an array of 2 to 6 strings of at most \(pollTextBytes) bytes (omit it for the 0-10 scale)"),
            WireFieldSpec(
                name: "audience", type: .string, isRequired: false, limits: #"one of "facilitators", "group""#),
            WireFieldSpec(
                name: "timeoutMs", type: .number, isRequired: false,
                limits: "a whole number from \(timeouts.lowerBound) to \(timeouts.upperBound)"),
        ]
        return WireFields(specs: specs) { object throws(ProtocolError) in
            let question = ConfidentialText(try object.identifier("question", maxBytes: pollTextBytes))
            var choices = PollChoices.scale
            if object.value("options") != nil {
                let options = try object.array("options")
                guard PollChoices.optionCount.contains(options.count) else {
                    throw object.invalid("options", specs[1].limits)
                }
                var texts: [ConfidentialText] = []
                for option in options {
                    guard case .string(let text) = option, text.utf8.count <= pollTextBytes else {
                        throw object.invalid("options", specs[1].limits)
                    }
                    texts.append(ConfidentialText(text))
                }
                choices = .options(texts)
            }
            let audience: PollAudience =
                object.value("audience") == nil
                ? .group : try object.choice("audience", ["group": .group, "facilitators": .facilitators])
            let timeout = try object.optionalInt64("timeoutMs", in: timeouts).map { Duration.milliseconds($0) }
            return PollRequest(question: question, choices: choices, audience: audience, timeout: timeout)
        } write: { request, members in
            members.append(("question", .string(request.question.revealed)))
            if case .options(let options) = request.choices {
                members.append(("options", .array(options.map { .string($0.revealed) })))
            }
            members.append(("audience", .string(request.audience.rawValue)))
            if let timeout = request.timeout { members.append(("timeoutMs", .milliseconds(timeout))) }
        }
    }
}
