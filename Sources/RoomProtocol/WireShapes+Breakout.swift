import RoomCore

extension BreakoutMember: WireCodable {
    var wireFields: [(String, JSONValue)] { [("member", .id(member)), ("alias", .string(alias))] }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(member: try wire.memberID("member"), alias: try wire.string("alias"))
    }
}

extension BreakoutGroupInfo: WireCodable {
    /// `floor` is absent when no one holds the group's floor.
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("group", .number(number))
        object.put("members", members.wireValue)
        object.put("visitors", visitors.wireValue)
        object.put("hands", .ids(hands))
        object.put("floor", floor.map(JSONValue.id))
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            number: try wire.int("group"), members: try wire.decodeArray("members"),
            visitors: try wire.decodeArray("visitors"), hands: try wire.memberIDs("hands"),
            floor: try wire.optionalMemberID("floor"))
    }
}

extension BreakoutStatus: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("run", .unsigned(run)), ("groupCount", .number(groupCount)), ("endsAt", .time(endsAt)),
            ("groups", groups.wireValue),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            run: try wire.uint64("run"), groupCount: try wire.int("groupCount"), endsAt: try wire.timestamp("endsAt"),
            groups: try wire.decodeArray("groups"))
    }
}

extension BreakoutEnd: WireCodable {
    var wireFields: [(String, JSONValue)] { [("run", .unsigned(run)), ("reason", .string(reason.rawValue))] }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            run: try wire.uint64("run"),
            reason: try wire.choice(
                "reason", Dictionary(uniqueKeysWithValues: Reason.allCases.map { ($0.rawValue, $0) })))
    }
}
