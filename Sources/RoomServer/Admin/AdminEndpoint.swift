/// The admin API's routes (docs/OPERATIONS.md, "Admin API"), parsed from a
/// request path below `/v1/admin/`.
enum AdminEndpoint: Sendable, Hashable {
    /// `GET /v1/admin/rooms`: every room's load.
    case rooms
    /// `GET /v1/admin/rooms/{id}`: one room's load and roster.
    case room(String)
    /// `POST /v1/admin/rooms/{id}/close`: end the room's session.
    case closeRoom(String)
    /// `POST /v1/admin/tokens/{tokenId}/revoke`: revoke a token durably.
    case revokeToken(String)
    /// `POST /v1/admin/drain`: start a drain.
    case drain
    /// `GET /v1/admin/rooms/{id}/program`: the room's schedule and roster.
    case program(String)
    /// `POST /v1/admin/rooms/{id}/schedule?schedule=JSON`: set the room's schedule.
    case setSchedule(String)
    /// `POST /v1/admin/rooms/{id}/enrol?member=…&enrolled=…`: enrol a member.
    case enrol(String)
    /// `POST /v1/admin/rooms/{id}/discharge?member=…&discharged=…`: discharge a member.
    case discharge(String)
    /// `POST /v1/admin/rooms/{id}/invite?member=…&alias=…[&reissue=true]`: issue a member's invitation.
    case invite(String)
    /// `POST /v1/admin/rooms/{id}/uninvite?member=…`: revoke a member's invitations.
    case uninvite(String)
    /// `GET /v1/admin/rooms/{id}/attendance?from=…&to=…[&format=csv|json][&table=…]`: the attendance export.
    case attendance(String)
    /// `GET /v1/admin/audit`: the records' hash chains, checked.
    case audit
    /// `POST /v1/admin/rooms/{id}/create?room={JSON}`: a new room.
    case createRoom(String)
    /// `POST /v1/admin/rooms/{id}/update?room={JSON}`: a room's new definition.
    case updateRoom(String)

    /// The path prefix every admin route starts with.
    static let prefix = "/v1/admin/"

    /// The endpoint at `path` (below the prefix), or nil (404).
    init?(path: Substring) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        switch (parts.count, parts.first) {
        case (1, "rooms"): self = .rooms
        case (1, "drain"): self = .drain
        case (1, "audit"): self = .audit
        case (2, "rooms") where !parts[1].isEmpty: self = .room(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "close": self = .closeRoom(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "program": self = .program(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "schedule": self = .setSchedule(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "enrol": self = .enrol(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "discharge": self = .discharge(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "invite": self = .invite(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "uninvite": self = .uninvite(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "attendance": self = .attendance(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "create": self = .createRoom(String(parts[1]))
        case (3, "rooms") where !parts[1].isEmpty && parts[2] == "update": self = .updateRoom(String(parts[1]))
        case (3, "tokens") where parts[2] == "revoke": self = .revokeToken(String(parts[1]))
        default: return nil
        }
    }

    /// The one method the route takes.
    var method: String {
        switch self {
        case .rooms, .room, .program, .attendance, .audit: "GET"
        case .closeRoom, .revokeToken, .drain, .setSchedule, .enrol, .discharge, .invite, .uninvite, .createRoom,
            .updateRoom:
            "POST"
        }
    }

    /// Whether `requestMethod` may use it (`HEAD` where `GET` may).
    func accepts(_ requestMethod: String) -> Bool {
        requestMethod == method || (method == "GET" && requestMethod == "HEAD")
    }

    /// Whether `id` can be a token id: 1 to 128 of `[A-Za-z0-9._:-]`.
    static func isTokenID(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                    || byte == 0x2E || byte == 0x5F || byte == 0x3A || byte == 0x2D
            }
    }
}
