import RoomCore

extension PollInfo: WireCodable {
    /// `options` is absent for the 0–10 scale.
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("poll", .unsigned(poll))
        object.put("question", .string(question.revealed))
        switch choices {
        case .options(let options):
            object.put("kind", .string("options"))
            object.put("options", .array(options.map { .string($0.revealed) }))
        case .scale:
            object.put("kind", .string("scale"))
        }
        object.put("audience", .string(audience.rawValue))
        object.put("openedAt", .time(openedAt))
        object.put("closesAt", closesAt.map { .time($0) })
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        let choices: PollChoices =
            switch try wire.choice("kind", ["options": true, "scale": false]) {
            case true: .options(try wire.strings("options").map(ConfidentialText.init))
            case false: .scale
            }
        self.init(
            poll: try wire.uint64("poll"), question: ConfidentialText(try wire.string("question")), choices: choices,
            audience: try wire.choice("audience", ["group": .group, "facilitators": .facilitators]),
            openedAt: try wire.timestamp("openedAt"), closesAt: try wire.optionalTimestamp("closesAt"))
    }
}

extension PollProgress: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [("poll", .unsigned(poll)), ("answered", .number(answered)), ("eligible", .number(eligible))]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(poll: try wire.uint64("poll"), answered: try wire.int("answered"), eligible: try wire.int("eligible"))
    }
}

extension PollResults: WireCodable {
    /// `counts` is absent when the results are not for this member.
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("poll", .unsigned(poll))
        object.put("counts", counts.map { .array($0.map(JSONValue.number)) })
        object.put("answered", .number(answered))
        object.put("reason", .string(reason.rawValue))
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        var counts: [Int]?
        if wire.value("counts") != nil {
            var values: [Int] = []
            for element in try wire.array("counts") {
                guard case .int(let count) = element, let value = Int(exactly: count) else {
                    throw wire.invalid("counts", "an array of whole numbers")
                }
                values.append(value)
            }
            counts = values
        }
        self.init(
            poll: try wire.uint64("poll"), counts: counts, answered: try wire.int("answered"),
            reason: try wire.choice(
                "reason", Dictionary(uniqueKeysWithValues: Reason.allCases.map { ($0.rawValue, $0) })))
    }
}

extension ReactionTally: WireCodable {
    /// `counts` is `[{"reaction":…,"count":…,"aliases":[…]}]`; `aliases` only when the policy names.
    var wireFields: [(String, JSONValue)] {
        let entries = counts.map { entry -> JSONValue in
            var object = ObjectBuilder()
            object.put("reaction", .string(entry.kind.rawValue))
            object.put("count", .number(entry.count))
            if !entry.aliases.isEmpty { object.put("aliases", .array(entry.aliases.map(JSONValue.string))) }
            return .object(object.members)
        }
        return [("message", .unsigned(message.rawValue)), ("counts", .array(entries))]
    }

    init(wire: WireObject) throws(ProtocolError) {
        var counts: [ReactionCount] = []
        let kinds = Dictionary(uniqueKeysWithValues: ReactionKind.allCases.map { ($0.rawValue, $0) })
        for entry in try wire.objects("counts") {
            let aliases = entry.value("aliases") == nil ? [] : try entry.strings("aliases")
            counts.append(
                ReactionCount(
                    kind: try entry.choice("reaction", kinds), count: try entry.int("count"), aliases: aliases))
        }
        self.init(message: MessageID(try wire.uint64("message")), counts: counts)
    }
}

extension CueChange: WireCodable {
    /// `cue` is absent when cleared.
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("member", .id(member))
        object.put("alias", .string(alias))
        object.put("cue", cue.map { .string($0.rawValue) })
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        let cue: Cue? =
            wire.value("cue") == nil
            ? nil : try wire.choice("cue", Dictionary(uniqueKeysWithValues: Cue.allCases.map { ($0.rawValue, $0) }))
        self.init(member: try wire.memberID("member"), alias: try wire.string("alias"), cue: cue)
    }
}

extension BalanceEntry: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("member", .id(member)), ("alias", .string(alias)), ("present", .bool(present)),
            ("messages", .number(messages)), ("hands", .number(hands)), ("floorSeconds", .int(floorSeconds)),
            ("checkInsAnswered", .number(checkInsAnswered)), ("checkInsPassed", .number(checkInsPassed)),
            ("awaySeconds", .int(awaySeconds)), ("notYetHeard", .bool(notYetHeard)),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            member: try wire.memberID("member"), alias: try wire.string("alias"), present: try wire.bool("present"),
            messages: try wire.int("messages"), hands: try wire.int("hands"),
            floorSeconds: try wire.int64("floorSeconds"),
            checkInsAnswered: try wire.int("checkInsAnswered"), checkInsPassed: try wire.int("checkInsPassed"),
            awaySeconds: try wire.int64("awaySeconds"), notYetHeard: try wire.bool("notYetHeard"))
    }
}

extension BalanceReport: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [("since", .time(since)), ("members", entries.wireValue)]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(since: try wire.timestamp("since"), entries: try wire.decodeArray("members"))
    }
}
