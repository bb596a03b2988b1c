import Foundation
import Logging
import RoomCore
import RoomProtocol
import SocketTransport
import WebSocketCore

/// Routes `iopd`'s requests: `/v1/rooms/{roomId}` (token checked before the
/// upgrade), `/echo` (when enabled), `/livez`, `/readyz`, `/metrics`, the
/// admin API under `/v1/admin/` (when set up); everything else 404.
public struct ServerRouter: HTTPRouter {
    private let settings: ServerSettings
    private let echo = EchoHandler()
    private let rooms: RoomDirectory
    private let authority: TokenAuthority?
    private let authFailures: AuthFailureCounts
    private let logger: Logger
    let readiness: Readiness
    let metrics: (@Sendable () -> String)?
    /// The admin API (set by `ServerApplication`); without it `/v1/admin/` is 404.
    var admin: AdminRouter?
    /// Open room connections by token, for revocation (set with `admin`).
    var connections: ConnectionRegistry?
    /// The rooms' rosters: an invitation goes in only while its member is enrolled.
    var programs: ProgramRegistry?
    /// The record store whose queue, full during an outage, refuses new members (`records_unavailable`).
    var records: DatabaseRecordStore?
    /// The wall clock tokens and enrolments are checked at.
    var clock = ServerClock.system

    /// Creates the router; without an authority, room routes answer 404.
    public init(
        settings: ServerSettings, rooms: RoomDirectory = RoomDirectory([]), authority: TokenAuthority? = nil,
        authFailures: AuthFailureCounts = AuthFailureCounts(), logger: Logger = Logger(label: "iopd"),
        readiness: Readiness = Readiness(), metrics: (@Sendable () -> String)? = nil
    ) {
        self.readiness = readiness
        self.metrics = metrics
        self.settings = settings
        self.rooms = rooms
        self.authority = authority
        self.authFailures = authFailures
        self.logger = logger
    }

    /// Decides what `request` gets.
    public func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
        let path = request.path
        if path.hasPrefix("/v1/rooms/") {
            return routeRoom(String(path.dropFirst("/v1/rooms/".count)), request)
        }
        if path.hasPrefix(AdminEndpoint.prefix), let admin {
            return admin.route(request)
        }
        switch path {
        case "/echo" where settings.echoEnabled:
            let options = WebSocketEndpointOptions(
                limits: settings.echoLimits, maxQueuedBytes: settings.echoMaxQueuedBytes,
                compression: settings.compressionConfiguration)
            return .upgrade(echo, options)
        case "/livez":
            guard request.method == "GET" || request.method == "HEAD" else {
                return .respond(.text(405, "method not allowed", headers: ["Allow": "GET, HEAD"]))
            }
            return .respond(.text(200, "ok"))
        case "/readyz":
            return routeReadiness(request)
        case "/metrics" where metrics != nil:
            return routeMetrics(request)
        default:
            return .respond(.text(404, "not found"))
        }
    }

    /// `/v1/rooms/{roomId}`: 401/403 for a missing or bad token (checked
    /// asynchronously by jwt-kit), then 404 for an unknown room, else the upgrade.
    /// Room ids are sensitive (a group's name can say who attends it), so the
    /// token is checked first: without a valid one an existing room and a
    /// made-up one get the same bytes.
    private func routeRoom(_ roomID: String, _ request: HTTPRequestHead) -> RouteDecision {
        guard let authority else { return .respond(Self.unknownRoom) }
        // Draining: no new members (the listener stays open for health checks and the admin API).
        guard !readiness.isDraining else {
            return .respond(.text(503, "draining: the server is shutting down; try again shortly"))
        }
        // The records database is away and the queue is full: nobody joins unrecorded.
        if let records, !records.admitsNewMember() {
            return .respond(Self.recordsUnavailable)
        }
        guard let token = TokenAuthority.bearerToken(in: request.headers["Authorization"]) else {
            return refuse(.missingToken)
        }
        // The last event sequence number a resuming client saw (docs/PROTOCOL.md).
        let lastSequence = request.headers["Last-Event-Sequence"].flatMap { UInt64($0) }
        // The room protocol's revision: `iop.v2` when offered, else v1 (docs/PROTOCOL.md, "Versions").
        let subprotocol = Subprotocol.select(from: request.headers, supported: RoomProtocolRevision.subprotocols)
        let failures = authFailures
        let rooms = self.rooms
        let programs = self.programs
        let clock = self.clock
        return .deferred { decide in
            // On the connection's loop (routes are decided there): the check never waits for the
            // shared concurrency pool, and jwt-kit's key actor runs there too.
            Task(executorPreference: EventLoop.current) {
                let verdict = await authority.verifyMember(token, room: roomID, now: clock.date())
                guard let host = rooms.host(roomID) else {
                    // Only a token that is valid (for another room, or for this id) learns that no such room exists.
                    if case .failure(let failure) = verdict, failure != .wrongRoom {
                        failures.count(failure)
                        return decide(.respond(.text(failure.status, failure.description)))
                    }
                    return decide(.respond(Self.unknownRoom))
                }
                switch verdict {
                case .failure(let failure):
                    failures.count(failure)
                    decide(.respond(.text(failure.status, failure.description)))
                case .success(let verified)
                where verified.isInvitation
                    && programs?.isEnrolled(verified.identity.id.rawValue, in: roomID, at: clock.date()) != true:
                    failures.count(.notEnrolled)
                    decide(.respond(.text(AuthFailure.notEnrolled.status, AuthFailure.notEnrolled.description)))
                case .success(let verified):
                    guard let leases = host.leases, !leases.holds(roomID) else {
                        return upgrade(
                            verified, host: host, lastSequence: lastSequence, subprotocol: subprotocol, decide: decide)
                    }
                    let window = host.configuration.definition.policy.reconnectWindow
                    leases.acquire(roomID, placesKeptFor: window, restore: { host.restore($0) }) { grant in
                        switch grant {
                        case .held, .taken:  // taken: the room restored its places first
                            upgrade(
                                verified, host: host, lastSequence: lastSequence, subprotocol: subprotocol,
                                decide: decide)
                        case .elsewhere:
                            decide(.respond(Self.roomElsewhere))
                        case .unavailable:
                            decide(.respond(Self.leaseUnreachable))
                        }
                    }
                }
            }
        }
    }

    /// The answer while the records cannot be kept (docs/PROTOCOL.md).
    static let recordsUnavailable = HTTPResponse.text(
        503, "records_unavailable: this server cannot keep attendance records right now; try again shortly",
        headers: ["Retry-After": "10"])
    /// Lets a verified member into `host`'s room (this node hosts it, or runs without leases).
    private func upgrade(
        _ verified: VerifiedMember, host: RoomHost, lastSequence: UInt64?, subprotocol: String?,
        decide: @Sendable (RouteDecision) -> Void
    ) {
        let session = MemberSession(
            identity: verified.identity, lastSequence: lastSequence,
            revision: RoomProtocolRevision(subprotocol: subprotocol), host: host, limits: settings.session,
            logger: logger)
        let options = WebSocketEndpointOptions(
            limits: settings.roomLimits, maxQueuedBytes: settings.roomMaxQueuedBytes,
            compression: settings.compressionConfiguration, subprotocol: subprotocol)
        guard let connections, let authority else { return decide(.upgrade(session, options)) }
        let tracked = TrackedMemberSession(
            session: session, tokenID: verified.tokenID, host: host, registry: connections,
            revocations: authority.revocations)
        decide(.upgrade(tracked, options))
    }

    /// The answer when another node holds the room's lease (docs/PROTOCOL.md).
    static let roomElsewhere = HTTPResponse.text(
        503, "room_elsewhere: another server hosts this group right now; try again in a moment",
        headers: ["Retry-After": "1"])
    /// The answer when the room's lease cannot be asked for (the records database is unreachable):
    /// the same code as a full queue, sooner to try again.
    static let leaseUnreachable = HTTPResponse.text(
        503, "records_unavailable: the server cannot reach its records; try again shortly",
        headers: ["Retry-After": "2"])

    /// The answer for a room id this server does not have.
    private static let unknownRoom = HTTPResponse.text(404, "unknown_room: no such group on this server")

    private func refuse(_ failure: AuthFailure) -> RouteDecision {
        authFailures.count(failure)
        return .respond(.text(failure.status, failure.description))
    }
}

/// Authentication failures by reason, for metrics.
public final class AuthFailureCounts: Sendable {
    private let counts = LockedValue<[String: Int]>([:])

    /// Creates zeroed counts.
    public init() {}

    func count(_ failure: AuthFailure) {
        counts.withLock { $0[failure.code, default: 0] += 1 }
    }

    /// The count for a reason code (e.g. `expired_token`).
    public func count(of code: String) -> Int {
        counts.withLock { $0[code, default: 0] }
    }
}
