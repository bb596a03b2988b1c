import Dispatch
import Foundation
import Logging
import RoomCore
import RoomProtocol
import SocketTransport
import WebSocketCore

/// The admin API behind an operator's bearer token: room load and roster,
/// closing a room, revoking a token, starting a drain. JSON bodies with ids,
/// roles, states and counts only. Refusals carry a code word
/// (`AdminError`); every route and code is in docs/OPERATIONS.md.
struct AdminRouter: Sendable {
    let rooms: RoomDirectory
    let authority: TokenAuthority
    let revocationStore: (any RevocationStore)?
    let registry: ConnectionRegistry
    let drain: DrainCoordinator
    let authFailures: AuthFailureCounts
    let logger: Logger
    /// The event loops whose load `GET /v1/admin/rooms` reports.
    var loops: [EventLoop] = []
    /// The rooms' programs, changed by the program routes (`AdminRouter+Program.swift`).
    var programs: ProgramRegistry?
    /// Other nodes' revocations, applied here (set on PostgreSQL): told which ones this router is making.
    var peerRevocations: PeerRevocations?
    /// The records the attendance and audit routes read (`AdminRouter+Records.swift`).
    var records: DatabaseRecordStore?
    /// What the attendance export counts as enough, and its time zone (`attendance.*`).
    var attendanceRules = AttendanceRules()
    /// This node's id (`server.nodeId`), in the rooms list and the audit answer.
    var nodeID: String?
    /// Rooms created and changed at run time (`AdminRouter+Rooms.swift`).
    var roomRegistry: RoomRegistry?
    /// Signs an invitation's claims (`nil`: it could not be signed). `nil`
    /// here signs with `authority`; a test puts a signer that fails.
    var signInvitation: (@Sendable (TokenClaims) -> String?)?
    /// The wall clock operator tokens, invitations, audit rows and the attendance export's "now" are read from.
    var clock = ServerClock.system

    /// Decides a request whose path starts with `/v1/admin/`.
    func route(_ request: HTTPRequestHead) -> RouteDecision {
        guard let endpoint = AdminEndpoint(path: request.path.dropFirst(AdminEndpoint.prefix.count)) else {
            return .respond(Self.error(404, "not_found", "no such admin route"))
        }
        guard endpoint.accepts(request.method) else {
            var response = Self.error(405, "method_not_allowed", "use \(endpoint.method)")
            response.headers.add(name: "Allow", value: endpoint.method == "GET" ? "GET, HEAD" : "POST")
            return .respond(response)
        }
        guard let token = TokenAuthority.bearerToken(in: request.headers["Authorization"]) else {
            return .respond(refusal(.missingToken))
        }
        let router = self
        return .deferred { decide in
            Task(executorPreference: EventLoop.current) {  // as for members: ServerRouter.routeRoom
                switch await router.authority.verifyOperator(token, now: router.clock.date()) {
                case .failure(let failure):
                    decide(.respond(router.refusal(failure)))
                case .success(let caller):
                    // The actions wait on room loops and the database: off the
                    // event loops and off the concurrency pool.
                    DispatchQueue.global().async {
                        decide(.respond(router.perform(endpoint, query: request.query, by: caller)))
                    }
                }
            }
        }
    }

    /// Carries out an authorized request. Blocks (room loops, database).
    func perform(_ endpoint: AdminEndpoint, query: Substring = "", by caller: OperatorIdentity) -> HTTPResponse {
        switch endpoint {
        case .rooms:
            let list = AdminRoomList(
                draining: drain.isDraining, rooms: rooms.all.map { $0.adminSummary() },
                loopBusySeconds: loops.map { Double($0.load.busyNanoseconds) / 1e9 }, node: nodeID)
            return Self.json(200, list.json)
        case .room(let id):
            guard let host = room(id) else { return Self.unknownRoom }
            let detail = AdminRoomDetail(
                room: host.adminSummary(), roster: host.adminRoster(tokens: registry.tokenIDs(room: id)))
            return Self.json(200, detail.json)
        case .closeRoom(let id):
            guard let host = room(id) else { return Self.unknownRoom }
            guard host.endSession(byOperator: caller.id) else {
                return Self.error(409, "no_session", "nobody is in this room: there is no session to end")
            }
            logger.notice("room closed by operator", metadata: ["room": "\(id)", "operator": "\(caller.id)"])
            return Self.json(200, AdminOutcome(room: id).json)
        case .revokeToken(let tokenID):
            return revoke(tokenID, by: caller)
        case .drain:
            var grace: Duration?
            if let asked = Self.parameters(query)["graceSeconds"] {
                guard let seconds = Int(asked), (0...86_400).contains(seconds) else {
                    return Self.error(400, "invalid_parameter", "graceSeconds must be a whole number from 0 to 86400")
                }
                grace = .seconds(seconds)
            }
            let started = drain.begin(reason: "admin api (operator \(caller.id))", grace: grace)
            let outcome = AdminOutcome(
                alreadyDraining: !started, graceSeconds: (grace ?? drain.gracePeriod).inSeconds)
            return Self.json(202, outcome.json)
        case .program(let id), .setSchedule(let id), .enrol(let id), .discharge(let id):
            return program(endpoint, room: id, query: query, by: caller)
        case .invite(let id):
            return invite(room: id, query: query, by: caller)
        case .uninvite(let id):
            return uninvite(room: id, query: query, by: caller)
        case .attendance(let id):
            return attendance(room: id, query: query)
        case .audit:
            return audit()
        case .createRoom(let id), .updateRoom(let id):
            return defineRoom(endpoint, id: id, query: query, by: caller)
        }
    }

    /// Writes the revocation durably, then refuses the token from now on and
    /// closes its open connections with 4006.
    private func revoke(_ tokenID: String, by caller: OperatorIdentity) -> HTTPResponse {
        guard AdminEndpoint.isTokenID(tokenID) else {
            return Self.error(400, "invalid_token_id", "a token id is 1 to 128 of A-Z a-z 0-9 . _ : -")
        }
        let revoked = locally([tokenID]) { () -> (fresh: Bool, closed: Int)? in
            do {
                try revocationStore?.storeRevocation(of: tokenID, by: caller.id, at: clock.now())
            } catch {
                logger.error("storing a revocation failed", metadata: ["error": "\(error)"])
                return nil
            }
            let fresh = authority.revocations.revoke(tokenID)
            return (fresh, registry.close(tokenID: tokenID, code: RoomCloseCode.revoked, reason: "token revoked"))
        }
        guard let (fresh, closed) = revoked else {
            return Self.error(500, "store_failed", "the revocation could not be written; nothing was revoked")
        }
        logger.notice(
            "token revoked", metadata: ["operator": "\(caller.id)", "closedConnections": "\(closed)"])
        return Self.json(
            200, AdminOutcome(tokenID: tokenID, alreadyRevoked: !fresh, closedConnections: closed).json)
    }

    /// Runs `body`, which revokes `tokenIDs` here, with their announcements
    /// from the records database left to it (``PeerRevocations``).
    func locally<T>(_ tokenIDs: [String], _ body: () throws -> T) rethrows -> T {
        guard let peerRevocations else { return try body() }
        return try peerRevocations.revokingLocally(tokenIDs, body)
    }

    private func room(_ id: String) -> RoomHost? { rooms.host(id) }

    /// An authentication refusal, counted like a room's.
    private func refusal(_ failure: AuthFailure) -> HTTPResponse {
        authFailures.count(failure)
        let sentence = failure.description.split(separator: ":", maxSplits: 1).last.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var response = Self.error(failure.status, failure.code, sentence ?? failure.code)
        if failure.status == 401 { response.headers.add(name: "WWW-Authenticate", value: "Bearer") }
        return response
    }

    private static let unknownRoom = error(404, "unknown_room", "no such room on this server")

    static func json(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "application/json"], body: Array((body + "\n").utf8))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        json(status, AdminError(error: code, message: message).json)
    }
}
