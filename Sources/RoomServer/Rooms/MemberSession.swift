import Logging
import RoomCore
import RoomProtocol
import SocketTransport
import Synchronization
import WebSocketCore

/// Per-connection limits of the room endpoint.
public struct SessionLimits: Sendable, Hashable {
    /// Average commands per second a member may send. Default 5: far above a
    /// person typing, far below a flood.
    public var messagesPerSecond: Double = 5
    /// Commands a member may send in a burst. Default 20.
    public var burst: Double = 20
    /// Average bytes of commands per second a member may send. Default 32 KiB: a
    /// person typing sends well under 1 KiB a second; the longest chat message
    /// (2,000 characters) is at most 8 KiB.
    public var bytesPerSecond: Double = 32 * 1024
    /// Bytes of commands a member may send in a burst. Default 256 KiB: a
    /// burst of long messages, never a stream.
    public var burstBytes: Double = 256 * 1024
    /// How many times a participant's allowance a facilitator gets. Default 4:
    /// admitting a full group of 15 and starting a round is one quick burst.
    public var facilitatorMultiplier: Double = 4
    /// Refusals for flooding or invalid messages in a row before the member
    /// is closed with 1008. Default 10: a buggy client is told many times first.
    public var strikesBeforeClose = 10
    /// Largest command JSON, in bytes (`message_too_large` above). Default 64 KiB.
    public var maxCommandBytes = 64 * 1024

    /// The defaults.
    public init() {}
}

/// One member's WebSocket in one room: decodes commands, enforces the
/// per-member rate limit, hands commands to the room's executor, and tells
/// the room when the connection ends. Runs on the connection's event loop.
final class MemberSession: WebSocketHandler, @unchecked Sendable {
    // `limiter` and `strikes` are touched only on the connection's loop.
    private static let nextConnection = Atomic<UInt64>(1)

    let identity: MemberIdentity
    let connectionID: ConnectionID
    /// The last event sequence number the client saw, when resuming.
    let lastSequence: SequenceNumber?
    /// The room protocol's revision the upgrade chose (`iop.v2` or v1).
    let revision: RoomProtocolRevision
    private let host: RoomHost
    private let limits: SessionLimits
    private let logger: Logger
    private var limiter: RateLimiter
    private var byteLimiter: RateLimiter
    private var strikes = 0
    /// Set once the member is being closed for policy: later messages are
    /// neither executed nor answered (the close code tells the client why).
    private var closing = false

    init(
        identity: MemberIdentity, lastSequence: SequenceNumber?, revision: RoomProtocolRevision = .v1,
        host: RoomHost, limits: SessionLimits, logger: Logger
    ) {
        self.identity = identity
        self.lastSequence = lastSequence
        self.revision = revision
        self.host = host
        self.limits = limits
        self.logger = logger
        connectionID = ConnectionID(Self.nextConnection.add(1, ordering: .relaxed).oldValue)
        let scale = identity.role == .facilitator ? limits.facilitatorMultiplier : 1
        limiter = RateLimiter(rate: limits.messagesPerSecond * scale, burst: limits.burst * scale)
        byteLimiter = RateLimiter(rate: limits.bytesPerSecond * scale, burst: limits.burstBytes * scale)
    }

    func webSocketDidOpen(_ connection: WebSocketConnection) {
        host.connect(
            identity, connectionID: connectionID, lastSequence: lastSequence, revision: revision,
            connection: connection)
    }

    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        guard !closing else { return }
        guard case .text(let text) = message else {
            connection.close(code: RoomCloseCode.textOnly, reason: "text frames only")
            return
        }
        host.instruments.received(bytes: text.utf8.count)
        switch ClientMessageDecoder.decode(text, maxBytes: limits.maxCommandBytes) {
        case .failure(let error):
            strike(connection, ServerMessageEncoder.protocolError(error), reason: "too many invalid messages")
        case .success(let envelope):
            let now = ServerClock.system.now().millisecondsSinceEpoch  // flood control: real time
            guard byteLimiter.allow(Double(text.utf8.count), at: now), limiter.allow(at: now) else {
                let error = ProtocolError.rateLimited(commandID: envelope.id)
                strike(connection, ServerMessageEncoder.protocolError(error), reason: "rate limit exceeded")
                return
            }
            strikes = 0
            if !host.receive(envelope, from: identity.id, connection: connectionID) {
                connection.send(
                    WebSocketMessage.text(ServerMessageEncoder.protocolError(.serverBusy(commandID: envelope.id))))
            }
        }
    }

    /// Tells the member what was wrong; closes with 1008 once it keeps happening.
    private func strike(_ connection: WebSocketConnection, _ reply: String, reason: String) {
        strikes += 1
        connection.send(WebSocketMessage.text(reply))
        if strikes >= limits.strikesBeforeClose {
            closing = true
            logger.info("closing member for policy", metadata: ["room": "\(host.id)", "reason": "\(reason)"])
            // Through the room's loop, so acknowledgements of the commands it
            // already accepted reach the member before the close frame.
            host.close(connection, code: RoomCloseCode.policy, reason: reason)
        }
    }

    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
        // A clean 1000 from the client means the member left; anything else
        // keeps their place for the reconnect window.
        let cause: DisconnectCause = code == .normalClosure ? .closedByClient : .connectionLost
        host.disconnected(identity.id, connectionID: connectionID, cause: cause)
    }
}
