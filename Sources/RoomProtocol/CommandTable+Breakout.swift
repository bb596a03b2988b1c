import RoomCore

/// Breakout groups' commands (listed in ``CommandTable/all`` with the rest).
extension CommandTable {
    static let startBreakout = CommandDescriptor("breakout.start", .breakoutRequest, Command.startBreakout)
    static let visitBreakout = CommandDescriptor(
        "breakout.visit", .wholeNumber("group", in: 1...Int64(WireFields<BreakoutRequest>.maximumGroups))
    ) { .visitBreakout(group: $0) }
    static let broadcastToBreakouts = CommandDescriptor("breakout.broadcast", .text, Command.broadcastToBreakouts)
    static let endBreakout = CommandDescriptor("breakout.end", .endBreakout)

    /// The breakout descriptors, in documentation order.
    static let breakouts: [AnyCommandDescriptor] = [
        startBreakout.erased, visitBreakout.erased, broadcastToBreakouts.erased, endBreakout.erased,
    ]
}

extension WireFields where Value == BreakoutRequest {
    /// The most groups a split may ask for on the wire (the room allows no more than its participants).
    static var maximumGroups: Int { 64 }
    /// The most members a named split may list in all.
    static var maximumNamed: Int { 512 }

    /// `split`, `groups` (random and balanced; default 2), `members` (named), `durationMs`.
    /// Every field present is checked, whatever the split. The random split's seed is
    /// not on the wire: the server chooses it.
    static var breakoutRequest: WireFields {
        let durations =
            Int64(
                BreakoutRequest.durations.lowerBound.milliseconds)...Int64(
                BreakoutRequest.durations.upperBound.milliseconds)
        let counts = Int64(2)...Int64(maximumGroups)
        let specs = [
            WireFieldSpec(
                name: "split", type: .string, isRequired: true, limits: #"one of "balanced", "named", "random""#),
            WireFieldSpec(
                name: "groups", type: .number, isRequired: false,
                limits: "a whole number from \(counts.lowerBound) to \(counts.upperBound)"),
            WireFieldSpec(
                name: "members", type: .array, isRequired: false,
                limits: "an array of 2 to \(maximumGroups) arrays of member ids, at most \(maximumNamed) ids in all"),
            WireFieldSpec(
                name: "durationMs", type: .number, isRequired: true,
                limits: "a whole number from \(durations.lowerBound) to \(durations.upperBound)"),
        ]
        return WireFields(specs: specs) { object throws(ProtocolError) in
            let kind = try object.choice("split", ["random": 0, "balanced": 1, "named": 2])
            let count = try object.optionalInt64("groups", in: counts).map { Int($0) } ?? 2
            let named = object.value("members") == nil ? nil : try namedGroups(object, limits: specs[2].limits)
            let duration = Duration.milliseconds(try object.int64("durationMs", in: durations))
            let split: BreakoutSplit
            switch kind {
            case 0: split = .random(count: count, seed: 0)
            case 1: split = .balanced(count: count)
            default:
                guard let named else { throw object.missing("members") }
                split = .named(named)
            }
            return BreakoutRequest(split: split, duration: duration)
        } write: { request, members in
            switch request.split {
            case .random(let count, _):
                members.append(("split", .string("random")))
                members.append(("groups", .number(count)))
            case .balanced(let count):
                members.append(("split", .string("balanced")))
                members.append(("groups", .number(count)))
            case .named(let groups):
                members.append(("split", .string("named")))
                members.append(("members", .array(groups.map { JSONValue.ids($0) })))
            }
            members.append(("durationMs", .milliseconds(request.duration)))
        }
    }

    private static func namedGroups(_ object: WireObject, limits: String) throws(ProtocolError) -> [[MemberID]] {
        guard case .array(let groups) = object.value("members") else { throw object.invalid("members", limits) }
        guard (2...maximumGroups).contains(groups.count) else { throw object.invalid("members", limits) }
        var result: [[MemberID]] = []
        var total = 0
        for group in groups {
            guard case .array(let ids) = group else { throw object.invalid("members", limits) }
            total += ids.count
            guard total <= maximumNamed else { throw object.invalid("members", limits) }
            var members: [MemberID] = []
            for id in ids {
                guard case .string(let text) = id, !text.isEmpty, text.utf8.count <= WireFields<String>.identifierBytes
                else { throw object.invalid("members", limits) }
                members.append(MemberID(text))
            }
            result.append(members)
        }
        return result
    }
}
