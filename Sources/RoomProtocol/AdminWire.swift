import Foundation

// The admin API's JSON bodies (docs/OPERATIONS.md, "Admin API"), shared by
// `iopd` (which writes them, members in a fixed order, so equal values give
// equal bytes) and `iopctl` (which decodes them with `JSONDecoder`). They
// carry ids, roles, states, counts and times: never content, never an alias.

/// How many members of one role stand in one state.
public struct AdminMemberCount: Codable, Sendable, Hashable {
    /// `participant` or `facilitator`.
    public var role: String
    /// `needs_agreement`, `waiting`, `admitted`, `away` or `reconnecting`.
    public var state: String
    /// How many.
    public var count: Int

    /// Creates a value from all of its fields.
    public init(role: String, state: String, count: Int) {
        self.role = role
        self.state = state
        self.count = count
    }

    var value: JSONValue {
        .object([("role", .string(role)), ("state", .string(state)), ("count", .number(count))])
    }
}

/// One room's load, as `GET /v1/admin/rooms` lists it.
public struct AdminRoomSummary: Codable, Sendable, Hashable {
    /// The room id.
    public var id: String
    /// Its title (from the catalogue, not from a member).
    public var title: String
    /// `process`, `skills`, `family`...
    public var kind: String
    /// Most members at once.
    public var capacity: Int
    /// `idle` (nobody present), `open` (someone present) or `in_session`
    /// (a facilitator and an admitted participant present).
    public var state: String
    /// Members present, by role and state; only non-zero pairs, sorted.
    public var members: [AdminMemberCount]
    /// Crisis alerts raised and not yet acknowledged.
    public var openCrisisAlerts: Int
    /// Commands received from members since the server started.
    public var messagesIn: Int
    /// Messages handed to members' connections since the server started.
    public var messagesOut: Int
    /// Commands whose fan-out was timed.
    public var fanOutCount: Int
    /// The sum of those fan-out times, in microseconds (rate of the two = mean latency).
    public var fanOutMicroseconds: Int

    enum CodingKeys: String, CodingKey {
        case id, title, kind, capacity, state, members
        case openCrisisAlerts = "open_crisis_alerts"
        case messagesIn = "messages_in"
        case messagesOut = "messages_out"
        case fanOutCount = "fanout_count"
        case fanOutMicroseconds = "fanout_microseconds_total"
    }

    /// Creates a value from all of its fields.
    public init(
        id: String, title: String, kind: String, capacity: Int, state: String, members: [AdminMemberCount],
        openCrisisAlerts: Int, messagesIn: Int, messagesOut: Int, fanOutCount: Int, fanOutMicroseconds: Int
    ) {
        self.id = id
        self.title = title
        self.kind = kind
        self.capacity = capacity
        self.state = state
        self.members = members
        self.openCrisisAlerts = openCrisisAlerts
        self.messagesIn = messagesIn
        self.messagesOut = messagesOut
        self.fanOutCount = fanOutCount
        self.fanOutMicroseconds = fanOutMicroseconds
    }

    /// Members present, all roles and states.
    public var memberCount: Int { members.reduce(0) { $0 + $1.count } }

    var fields: [(String, JSONValue)] {
        [
            ("id", .string(id)), ("title", .string(title)), ("kind", .string(kind)), ("capacity", .number(capacity)),
            ("state", .string(state)), ("members", .array(members.map(\.value))),
            ("open_crisis_alerts", .number(openCrisisAlerts)), ("messages_in", .number(messagesIn)),
            ("messages_out", .number(messagesOut)), ("fanout_count", .number(fanOutCount)),
            ("fanout_microseconds_total", .number(fanOutMicroseconds)),
        ]
    }
}

/// `GET /v1/admin/rooms`.
public struct AdminRoomList: Codable, Sendable, Hashable {
    /// Whether the server is draining.
    public var draining: Bool
    /// Every room, in catalogue order.
    public var rooms: [AdminRoomSummary]
    /// For each event loop, in order, the seconds it has spent working (not waiting for its
    /// sockets) since the server started; its growth per second is the loop's load, as
    /// `iop_loop_busy_seconds_total` says. Nil from a server that does not report it.
    public var loopBusySeconds: [Double]?
    /// The node that answered (`server.nodeId`); nil from a server that does not say.
    public var node: String?

    /// Creates a value from all of its fields.
    public init(draining: Bool, rooms: [AdminRoomSummary], loopBusySeconds: [Double]? = nil, node: String? = nil) {
        self.draining = draining
        self.rooms = rooms
        self.loopBusySeconds = loopBusySeconds
        self.node = node
    }

    enum CodingKeys: String, CodingKey {
        case draining, rooms, node
        case loopBusySeconds = "loop_busy_seconds"
    }

    /// The compact JSON body.
    public var json: String {
        var fields: [(String, JSONValue)] = [
            ("draining", .bool(draining)), ("rooms", .array(rooms.map { .object($0.fields) })),
        ]
        if let loopBusySeconds { fields.append(("loop_busy_seconds", .array(loopBusySeconds.map(JSONValue.double)))) }
        if let node { fields.append(("node", .string(node))) }
        return JSONWriter.string(.object(fields))
    }
}

/// One present member in `GET /v1/admin/rooms/{id}`: ids, role and state only.
public struct AdminRosterEntry: Codable, Sendable, Hashable {
    /// The opaque member id.
    public var member: String
    /// `participant` or `facilitator`.
    public var role: String
    /// As in `AdminMemberCount.state`.
    public var state: String
    /// Whether a facilitator muted them.
    public var muted: Bool
    /// The id (`jti`) of the token their open connection used; absent while reconnecting.
    public var tokenID: String?

    enum CodingKeys: String, CodingKey {
        case member, role, state, muted
        case tokenID = "token_id"
    }

    /// Creates a value from all of its fields.
    public init(member: String, role: String, state: String, muted: Bool, tokenID: String?) {
        self.member = member
        self.role = role
        self.state = state
        self.muted = muted
        self.tokenID = tokenID
    }

    var value: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("member", .string(member)), ("role", .string(role)), ("state", .string(state)), ("muted", .bool(muted)),
        ]
        if let tokenID { fields.append(("token_id", .string(tokenID))) }
        return .object(fields)
    }
}

/// `GET /v1/admin/rooms/{id}`: the room's load and its roster, without content or aliases.
public struct AdminRoomDetail: Codable, Sendable, Hashable {
    /// The room's load.
    public var room: AdminRoomSummary
    /// Members present, in arrival order.
    public var roster: [AdminRosterEntry]

    /// Creates a value from all of its fields.
    public init(room: AdminRoomSummary, roster: [AdminRosterEntry]) {
        self.room = room
        self.roster = roster
    }

    /// The compact JSON body.
    public var json: String {
        JSONWriter.string(.object([("room", .object(room.fields)), ("roster", .array(roster.map(\.value)))]))
    }
}

/// The answer to a POST: what was done, as flat fields (`ok` first).
public struct AdminOutcome: Codable, Sendable, Hashable {
    /// Always true (failures use `AdminError`).
    public var ok: Bool
    /// The room closed (`…/close`).
    public var room: String?
    /// The token revoked (`…/revoke`).
    public var tokenID: String?
    /// True when the token was revoked before this request.
    public var alreadyRevoked: Bool?
    /// True when a drain was already under way.
    public var alreadyDraining: Bool?
    /// Connections closed by this request.
    public var closedConnections: Int?
    /// The drain's grace period in seconds.
    public var graceSeconds: Double?

    enum CodingKeys: String, CodingKey {
        case ok, room
        case tokenID = "token_id"
        case alreadyRevoked = "already_revoked"
        case alreadyDraining = "already_draining"
        case closedConnections = "closed_connections"
        case graceSeconds = "grace_seconds"
    }

    /// Creates an outcome; absent fields are left out of the JSON.
    public init(
        room: String? = nil, tokenID: String? = nil, alreadyRevoked: Bool? = nil, alreadyDraining: Bool? = nil,
        closedConnections: Int? = nil, graceSeconds: Double? = nil
    ) {
        ok = true
        self.room = room
        self.tokenID = tokenID
        self.alreadyRevoked = alreadyRevoked
        self.alreadyDraining = alreadyDraining
        self.closedConnections = closedConnections
        self.graceSeconds = graceSeconds
    }

    /// The compact JSON body.
    public var json: String {
        var object = ObjectBuilder()
        object.put("ok", .bool(ok))
        object.put("room", room.map(JSONValue.string))
        object.put("token_id", tokenID.map(JSONValue.string))
        object.put("already_revoked", alreadyRevoked.map(JSONValue.bool))
        object.put("already_draining", alreadyDraining.map(JSONValue.bool))
        object.put("closed_connections", closedConnections.map(JSONValue.number))
        object.put("grace_seconds", graceSeconds.map(JSONValue.double))
        return JSONWriter.string(object.value)
    }
}

/// An admin API refusal: a stable code word and a sentence for a person.
public struct AdminError: Codable, Sendable, Hashable {
    /// The code (`missing_token`, `wrong_role`, `unknown_room`...).
    public var error: String
    /// For a person.
    public var message: String

    /// Creates a value from all of its fields.
    public init(error: String, message: String) {
        self.error = error
        self.message = message
    }

    /// The compact JSON body.
    public var json: String {
        JSONWriter.string(.object([("error", .string(error)), ("message", .string(message))]))
    }
}
