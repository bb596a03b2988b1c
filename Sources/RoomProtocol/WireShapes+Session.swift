import RoomCore

extension GroupAgreement: WireCodable {
    var wireFields: [(String, JSONValue)] { [("text", .string(text)), ("version", .string(version))] }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(text: try wire.string("text"), version: try wire.string("version"))
    }
}

extension WaitingEntry: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("member", .id(member)), ("alias", .string(alias)), ("since", .time(since)),
            ("reconnecting", .bool(reconnecting)),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            member: try wire.memberID("member"), alias: try wire.string("alias"), since: try wire.timestamp("since"),
            reconnecting: try wire.bool("reconnecting"))
    }
}

extension RosterEntry: WireCodable {
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("member", .id(member))
        object.put("alias", .string(alias))
        object.put("role", role.wireValue)
        object.put("presence", presence.wireValue)
        object.put("queuePosition", queuePosition.map { .number($0) })
        object.put("muted", .bool(muted))
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            member: try wire.memberID("member"), alias: try wire.string("alias"), role: try wire.wireEnum("role"),
            presence: try wire.wireEnum("presence"), queuePosition: try wire.optionalInt("queuePosition"),
            muted: try wire.bool("muted"))
    }
}

extension Roster: WireCodable {
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("members", entries.wireValue)
        object.put("floor", floor.map { .id($0) })
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(entries: try wire.decodeArray("members"), floor: try wire.optionalMemberID("floor"))
    }
}

extension ChatMessage: WireCodable {
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("id", .unsigned(id.rawValue))
        object.put("from", .id(from))
        object.put("alias", .string(alias))
        object.put("role", role.wireValue)
        switch scope {
        case .group: object.put("scope", .string("group"))
        case .toFacilitators: object.put("scope", .string("to_facilitators"))
        case .direct(let target):
            object.put("scope", .string("direct"))
            object.put("to", .id(target))
        case .backChannel: object.put("scope", .string("back_channel"))
        case .sideRoom(let participant):
            object.put("scope", .string("side_room"))
            object.put("participant", .id(participant))
        case .breakout(let group):
            object.put("scope", .string("breakout"))
            object.put("group", .number(group))
        case .breakoutBroadcast: object.put("scope", .string("breakout_broadcast"))
        }
        object.put("text", .string(text.revealed))
        object.put("sentAt", .time(sentAt))
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        let scope: MessageScope
        switch try wire.choice(
            "scope",
            [
                "group": 0, "to_facilitators": 1, "direct": 2, "back_channel": 3, "side_room": 4, "breakout": 5,
                "breakout_broadcast": 6,
            ])
        {
        case 0: scope = .group
        case 1: scope = .toFacilitators
        case 2: scope = .direct(to: try wire.memberID("to"))
        case 3: scope = .backChannel
        case 4: scope = .sideRoom(participant: try wire.memberID("participant"))
        case 5: scope = .breakout(group: try wire.int("group"))
        default: scope = .breakoutBroadcast
        }
        self.init(
            id: MessageID(try wire.uint64("id")), from: try wire.memberID("from"), alias: try wire.string("alias"),
            role: try wire.wireEnum("role"), scope: scope, text: ConfidentialText(try wire.string("text")),
            sentAt: try wire.timestamp("sentAt"))
    }
}

extension MessageRemoval: WireCodable {
    var wireFields: [(String, JSONValue)] { [("message", .unsigned(message.rawValue)), ("reason", reason.wireValue)] }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(message: MessageID(try wire.uint64("message")), reason: try wire.wireEnum("reason"))
    }
}

extension CrisisAlertInfo: WireCodable {
    /// `repeats` and `lastRaisedAt` only once the alert was raised again.
    var wireFields: [(String, JSONValue)] {
        let base: [(String, JSONValue)] = [
            ("alert", .unsigned(id.rawValue)), ("member", .id(member)), ("alias", .string(alias)),
            ("raisedAt", .time(raisedAt)),
        ]
        guard repeats > 0 else { return base }
        return base + [("repeats", .number(repeats)), ("lastRaisedAt", .time(lastRaisedAt))]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            id: AlertID(try wire.uint64("alert")), member: try wire.memberID("member"), alias: try wire.string("alias"),
            raisedAt: try wire.timestamp("raisedAt"), repeats: max(0, try wire.optionalInt("repeats") ?? 0),
            lastRaisedAt: try wire.optionalTimestamp("lastRaisedAt"))
    }
}

extension CrisisAcknowledgement: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("alert", .unsigned(id.rawValue)), ("member", .id(member)), ("by", .id(by)), ("byAlias", .string(byAlias)),
            ("at", .time(at)),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            id: AlertID(try wire.uint64("alert")), member: try wire.memberID("member"), by: try wire.memberID("by"),
            byAlias: try wire.string("byAlias"), at: try wire.timestamp("at"))
    }
}

extension AgendaStatus: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("index", .number(index)), ("name", .string(name)), ("startedAt", .time(startedAt)),
            ("endsAt", .time(endsAt)),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            index: try wire.int("index"), name: try wire.string("name"), startedAt: try wire.timestamp("startedAt"),
            endsAt: try wire.timestamp("endsAt"))
    }
}

extension SideRoomInfo: WireCodable {
    var wireFields: [(String, JSONValue)] {
        [
            ("participant", .id(participant)), ("participantAlias", .string(participantAlias)),
            ("facilitator", .id(facilitator)), ("facilitatorAlias", .string(facilitatorAlias)),
            ("openedAt", .time(openedAt)),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            participant: try wire.memberID("participant"), participantAlias: try wire.string("participantAlias"),
            facilitator: try wire.memberID("facilitator"), facilitatorAlias: try wire.string("facilitatorAlias"),
            openedAt: try wire.timestamp("openedAt"))
    }
}

extension RoomSnapshot: WireCodable {
    var wireFields: [(String, JSONValue)] {
        var object = ObjectBuilder()
        object.put("room", .string(roomID))
        object.put("title", .string(title))
        object.put("kind", kind.wireValue)
        object.put("you", .id(you))
        object.put("role", role.wireValue)
        object.put("roster", roster.wireValue)
        object.put("chatPaused", .bool(chatPaused))
        object.put("locked", .bool(locked))
        object.put("checkIn", checkIn?.wireValue)
        object.put("checkInResponded", .bool(checkInResponded))
        object.put("exercise", exercise?.wireValue)
        object.put("sittingOutExercise", .bool(sittingOutExercise))
        object.put("agenda", agenda?.wireValue)
        object.put("waiting", waiting.wireValue)
        object.put("openAlerts", openAlerts.wireValue)
        object.put("sideRooms", sideRooms.wireValue)
        return object.members
    }

    init(wire: WireObject) throws(ProtocolError) {
        self.init(
            roomID: try wire.string("room"), title: try wire.string("title"), kind: try wire.wireEnum("kind"),
            you: try wire.memberID("you"), role: try wire.wireEnum("role"), roster: try wire.decode("roster"),
            chatPaused: try wire.bool("chatPaused"), locked: try wire.bool("locked"),
            checkIn: try wire.optionalDecode("checkIn"), checkInResponded: try wire.bool("checkInResponded"),
            exercise: try wire.optionalDecode("exercise"), sittingOutExercise: try wire.bool("sittingOutExercise"),
            agenda: try wire.optionalDecode("agenda"), waiting: try wire.decodeArray("waiting"),
            openAlerts: try wire.decodeArray("openAlerts"), sideRooms: try wire.decodeArray("sideRooms"))
    }
}
