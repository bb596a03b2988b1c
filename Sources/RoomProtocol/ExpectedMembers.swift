import RoomCore

/// The enrolled members the program expects at the session whose waiting
/// room is open, and whether each is here yet (present, waiting or
/// reconnecting): the `expected` message to facilitators (docs/PROTOCOL.md,
/// "Program schedule"). Members by opaque id, as on the roster.
public struct ExpectedMembers: Sendable, Hashable {
    /// The session's id (`2026-03-09T18:00`).
    public var session: String
    /// The expected members, in roster order.
    public var members: [ExpectedMember]

    /// Creates the list.
    public init(session: String, members: [ExpectedMember]) {
        self.session = session
        self.members = members
    }

    /// The expected members not here yet.
    public var missing: [MemberID] { members.filter { !$0.present }.map(\.member) }
}

/// One expected member and whether they are here.
public struct ExpectedMember: Sendable, Hashable {
    /// The opaque member id.
    public var member: MemberID
    /// Whether they are in the room (admitted, waiting or reconnecting).
    public var present: Bool

    /// Creates an entry.
    public init(member: MemberID, present: Bool) {
        self.member = member
        self.present = present
    }
}

extension ExpectedMembers {
    /// `"session"`, `"members"`: `[{"member","present"}]`.
    var wireMembers: [(String, JSONValue)] {
        [
            ("session", .string(session)),
            ("members", .array(members.map { .object([("member", .id($0.member)), ("present", .bool($0.present))]) })),
        ]
    }

    init(wire: WireObject) throws(ProtocolError) {
        var members: [ExpectedMember] = []
        for entry in try wire.objects("members") {
            members.append(ExpectedMember(member: try entry.memberID("member"), present: try entry.bool("present")))
        }
        self.init(session: try wire.string("session", maxBytes: 32), members: members)
    }
}

extension ServerMessageEncoder {
    /// `{"v":1,"type":"expected","session":…,"members":[{"member":…,"present":…}]}`: to facilitators.
    public static func expected(_ expected: ExpectedMembers) -> String {
        var object = ObjectBuilder(type: "expected", version: true)
        object.put(expected.wireMembers)
        return JSONWriter.string(object.value)
    }
}
