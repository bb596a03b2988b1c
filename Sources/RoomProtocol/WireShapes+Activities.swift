import RoomCore

extension CheckInField: WireCodable {
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("id", .string(id))
        object.put("prompt", .string(prompt))
        switch kind {
        case .scale(let range):
            object.put("kind", .string("scale"))
            object.put("min", .number(range.lowerBound))
            object.put("max", .number(range.upperBound))
        case .word(let maxLength):
            object.put("kind", .string("word"))
            object.put("maxLength", .number(maxLength))
        case .text(let maxLength):
            object.put("kind", .string("text"))
            object.put("maxLength", .number(maxLength))
        }
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        let kind: Kind
        switch try wire.choice("kind", ["scale": 0, "word": 1, "text": 2]) {
        case 0:
            let low = try wire.int("min")
            let high = try wire.int("max")
            guard low <= high else { throw wire.invalid("max", "a whole number not below \"min\"") }
            kind = .scale(low...high)
        case 1: kind = .word(maxLength: try wire.int("maxLength"))
        default: kind = .text(maxLength: try wire.int("maxLength"))
        }
        self.init(id: try wire.string("id"), prompt: try wire.string("prompt"), kind: kind)
    }
}

extension CheckInTemplate: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("id", .string(id)), ("title", .string(title)), ("visibility", visibility.wireValue),
            ("fields", fields.wireValue),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            id: try wire.string("id"), title: try wire.string("title"), fields: try wire.decodeArray("fields"),
            visibility: try wire.wireEnum("visibility"))
    }
}

extension CheckInRoundInfo: WireCodable {
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("round", .unsigned(round))
        object.put("template", template.wireValue)
        object.put("startedAt", .time(startedAt))
        object.put("closesAt", closesAt.map { .time($0) })
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            round: try wire.uint64("round"), template: try wire.decode("template"),
            startedAt: try wire.timestamp("startedAt"), closesAt: try wire.optionalTimestamp("closesAt"))
    }
}

extension CheckInResponse: WireCodable {
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("round", .unsigned(round))
        object.put("member", .id(member))
        object.put("alias", .string(alias))
        switch outcome {
        case .answered(let answer):
            object.put("outcome", .string("answered"))
            object.put("answers", answer.wireValue)
        case .passed:
            object.put("outcome", .string("passed"))
        }
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        let outcome: Outcome =
            switch try wire.choice("outcome", ["answered": true, "passed": false]) {
            case true: .answered(try CheckInAnswer(wire: wire))
            case false: .passed
            }
        self.init(
            round: try wire.uint64("round"), member: try wire.memberID("member"), alias: try wire.string("alias"),
            outcome: outcome)
    }
}

extension ScoreDistribution: WireCodable {
    /// `counts` is written as `[{"score":…,"count":…}]` in ascending score order.
    var wireFields: [(String, JSONValue)] {
        let counts = counts.sorted { $0.key < $1.key }.map { score, count in
            JSONValue.object([("score", .number(score)), ("count", .number(count))])
        }
        return [("field", .string(field)), ("counts", .array(counts))]
    }

    init(wire: WireObject) throws(ProtocolError) {
        var counts: [Int: Int] = [:]
        for entry in try wire.objects("counts") {
            counts[try entry.int("score")] = try entry.int("count")
        }
        self.init(field: try wire.string("field"), counts: counts)
    }
}

extension CheckInProgress: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("round", .unsigned(round)), ("answered", .ids(answered)), ("passed", .ids(passed)),
            ("pending", .ids(pending)), ("distribution", distribution.wireValue),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            round: try wire.uint64("round"), answered: try wire.memberIDs("answered"),
            passed: try wire.memberIDs("passed"), pending: try wire.memberIDs("pending"),
            distribution: try wire.decodeArray("distribution"))
    }
}

extension CheckInSummary: WireCodable {
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("round", .unsigned(round))
        object.put("answeredCount", .number(answeredCount))
        object.put("passedCount", .number(passedCount))
        object.put("noResponseCount", .number(noResponseCount))
        object.put("distribution", distribution?.wireValue)
        object.put("reason", reason.wireValue)
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        let distribution: [ScoreDistribution]? =
            wire.value("distribution") == nil ? nil : try wire.decodeArray("distribution")
        self.init(
            round: try wire.uint64("round"), answeredCount: try wire.int("answeredCount"),
            passedCount: try wire.int("passedCount"), noResponseCount: try wire.int("noResponseCount"),
            distribution: distribution, reason: try wire.wireEnum("reason"))
    }
}

extension ScheduledPhase: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("index", .number(index)), ("name", .string(name)), ("prompt", .string(prompt)),
            ("durationMs", .milliseconds(duration)), ("startsAt", .time(startsAt)), ("endsAt", .time(endsAt)),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            index: try wire.int("index"), name: try wire.string("name"), prompt: try wire.string("prompt"),
            duration: try wire.duration("durationMs"), startsAt: try wire.timestamp("startsAt"),
            endsAt: try wire.timestamp("endsAt"))
    }
}

extension ExerciseStatus: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("run", .unsigned(run)), ("exercise", .string(exerciseID)), ("name", .string(name)),
            ("phases", phases.wireValue), ("currentPhase", .number(currentPhase)), ("paused", .bool(paused)),
            ("remainingInPhaseMs", .milliseconds(remainingInPhase)), ("change", change.wireValue),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            run: try wire.uint64("run"), exerciseID: try wire.string("exercise"), name: try wire.string("name"),
            phases: try wire.decodeArray("phases"), currentPhase: try wire.int("currentPhase"),
            paused: try wire.bool("paused"), remainingInPhase: try wire.duration("remainingInPhaseMs"),
            change: try wire.wireEnum("change"))
    }
}

extension ExerciseEnd: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [("run", .unsigned(run)), ("exercise", .string(exerciseID)), ("reason", reason.wireValue)]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            run: try wire.uint64("run"), exerciseID: try wire.string("exercise"), reason: try wire.wireEnum("reason"))
    }
}
