import RoomProtocol
import SocketTransport

/// Rooms created and changed through the admin API (docs/OPERATIONS.md,
/// "Rooms at run time"): the definition rides in the query as JSON, is
/// checked like the rooms file, stored and audited, then hosted at once.
extension AdminRouter {
    /// `POST …/create` or `POST …/update` for the operator `caller`.
    func defineRoom(_ endpoint: AdminEndpoint, id: String, query: Substring, by caller: OperatorIdentity)
        -> HTTPResponse
    {
        guard let roomRegistry else { return Self.error(503, "no_programs", "this server keeps no programs") }
        do throws(ProgramChangeError) {
            let document = try RoomDocument.parse(Self.parameters(query)["room"])
            switch endpoint {
            case .createRoom:
                try roomRegistry.create(
                    id, document, change: ProgramChange(actor: caller.id, action: .roomCreated, at: clock.now()))
            case .updateRoom:
                try roomRegistry.change(
                    id, document, change: ProgramChange(actor: caller.id, action: .roomChanged, at: clock.now()))
            case .rooms, .room, .closeRoom, .revokeToken, .drain, .program, .setSchedule, .enrol, .discharge, .invite,
                .uninvite, .attendance, .audit:
                return Self.error(404, "not_found", "no such admin route")
            }
        } catch {
            return Self.error(error.status, error.code, error.message)
        }
        logger.notice("room defined", metadata: ["room": "\(id)", "operator": "\(caller.id)", "route": "\(endpoint)"])
        return Self.json(200, AdminOutcome(room: id).json)
    }
}
