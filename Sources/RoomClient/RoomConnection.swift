import Dispatch
import RoomCore
import RoomProtocol
import SocketTransport
import WebSocketCore

/// One member's connection to one room: the token in `Authorization: Bearer`,
/// commands with automatic ids matched to their `ack` or `error` (or, under
/// `iop.v2`, to the member's own copy of the message they posted, which carries
/// the command's id as `"ack"`), the view model, and reconnection with backoff that
/// resumes with `Last-Event-Sequence`.
public final class RoomConnection: @unchecked Sendable {
    // Every `var` below is confined to `queue`.
    private let queue = DispatchQueue(label: "iop.room-connection")
    private let address: ServerAddress
    private let token: String
    private let options: RoomConnectionOptions
    /// How each attempt opens its WebSocket (the transport seam: see ``RoomTransport``).
    private let transport: any RoomTransport
    /// The loop's group when the connection made its own (stopped with the connection).
    private let ownLoops: EventLoopGroup?
    private let scheduler: any ClientScheduler
    private let onEvent: @Sendable (RoomConnectionEvent) -> Void
    private var random: any RandomNumberGenerator
    private var model = RoomViewModel()
    private var connection: WebSocketConnection?
    private var generation = 0
    private var everConnected = false
    private var failuresInRow = 0
    private var failingSince: Int64?
    private var leaving = false
    private var state: ConnectionState = .connecting(attempt: 1)
    /// The last command id's number, behind a lock so `send` works from any thread, `onEvent` too.
    private let lastID = LockedValue(0)
    private var pending: [CommandID: (Command, Int64)] = [:]
    /// What a dropped connection left unanswered, until the next one has resumed.
    private var unanswered = UnansweredCommands()
    private var retry: (any ScheduledWork)?
    private var lastRoundTrip: Duration?
    private var leaveWhenAnswered: (any ScheduledWork)?
    private var leaveWhenSettled: Duration?
    /// The `ping` sent once the member asked to leave: the room answers a member's
    /// commands in order, so its answer comes after everything the earlier commands caused.
    private var finalPing: CommandID?
    private var pinger: (any ScheduledWork)?

    /// Creates a connection (not yet started); `onEvent` is called serially. It opens
    /// its WebSocket through `transport`; by default through a connection of its own
    /// (``DedicatedRoomTransport``) whose sockets run on `loop`, or on an event loop of
    /// its own (one thread, "iop.client.0") that stops when the connection is released.
    public init(
        address: ServerAddress, token: String, options: RoomConnectionOptions = RoomConnectionOptions(),
        loop: EventLoop? = nil, transport: (any RoomTransport)? = nil,
        scheduler: any ClientScheduler = SystemScheduler(),
        random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator(),
        onEvent: @escaping @Sendable (RoomConnectionEvent) -> Void
    ) {
        self.address = address
        self.token = token
        self.options = options
        if let transport {
            self.transport = transport
            ownLoops = nil
        } else if let loop {
            self.transport = DedicatedRoomTransport(loop: loop, configuration: options.transport)
            ownLoops = nil
        } else {
            let loops = EventLoopGroup(count: 1, label: "iop.client")
            self.transport = DedicatedRoomTransport(loop: loops.next(), configuration: options.transport)
            ownLoops = loops
        }
        self.scheduler = scheduler
        self.random = random
        self.onEvent = onEvent
    }

    deinit { ownLoops?.stop() }

    /// Opens the connection.
    public func start() { queue.async { self.connect() } }

    /// A copy of the current view model (not from inside `onEvent`: use the event's model).
    public var currentModel: RoomViewModel { queue.sync { model } }

    /// The latest round-trip time, command to `ack` (not from inside `onEvent`).
    public var roundTrip: Duration? { queue.sync { lastRoundTrip } }

    /// Sends a command with the next id (`c1`, `c2`…) and returns that id; the answer
    /// arrives as an ``RoomConnectionEvent/outcome(_:_:_:)``.
    @discardableResult
    public func send(_ command: Command) -> CommandID {
        let id = nextCommandID()
        queue.async { self.transmit(id, command) }
        return id
    }

    private func nextCommandID() -> CommandID {
        lastID.withLock { last in
            last += 1
            return CommandID("c\(last)")
        }
    }

    /// Leaves the room for good (close 1000: the place is given up) once the join has
    /// settled (welcome received, or refused) and everything the room sends in reply to
    /// the commands already sent has arrived, or `timeout` after that.
    ///
    /// An `ack` comes before the events its command caused, so an answered command is
    /// not enough: the connection sends one last `ping` and leaves when it is answered.
    /// The room carries out a member's commands in order and each connection's frames
    /// leave in order, so that answer follows every event of the earlier commands. Its
    /// `ack` is not reported as a message (it answers no command of the caller's).
    public func leave(waitingForAnswers timeout: Duration) {
        queue.async {
            self.leaveWhenSettled = timeout
            self.leaveIfSettled()
        }
    }

    private func leaveIfSettled() {
        guard let timeout = leaveWhenSettled, !leaving, case .connected = state, model.me != nil else { return }
        if timeout <= .zero { return leave() }
        if finalPing == nil {
            let id = nextCommandID()
            finalPing = id
            transmit(id, .ping)
        }
        if pending.isEmpty { return leave() }
        if leaveWhenAnswered == nil {
            leaveWhenAnswered = scheduler.schedule(after: timeout) { [self] in self.leave() }
        }
    }

    /// Leaves the room for good (close 1000: the place is given up).
    public func leave() {
        queue.async {
            self.leaveWhenAnswered?.cancel()
            self.pinger?.cancel()
            self.leaving = true
            self.retry?.cancel()
            if let connection = self.connection {
                connection.close(code: .normalClosure)
            } else {
                self.finish(.closed(code: 1000, reason: nil))
            }
        }
    }

    /// Drops the connection as a network failure would (close 1001): the room keeps
    /// the place and the client reconnects and resumes by itself.
    public func interrupt() {
        queue.async { self.connection?.close(code: .goingAway) }
    }

    private func transmit(_ id: CommandID, _ command: Command) {
        guard let connection, case .connected = state else {
            let advice = command == .crisisAlert ? " If you are in danger, call your local emergency number now." : ""
            onEvent(
                .outcome(
                    id, command, .refused(code: "not_sent", message: "Not sent: not connected to the room.\(advice)")))
            return
        }
        pending[id] = (command, scheduler.nowMilliseconds())
        connection.send(WebSocketMessage.text(ClientMessageEncoder.encode(ClientEnvelope(id: id, command: command))))
    }

    private func connect() {
        guard !leaving, !state.isFinal else { return }
        generation += 1
        let attempt = generation
        setState(.connecting(attempt: failuresInRow + 1))
        let request = address.request(token: token, lastSequence: everConnected ? model.lastSequence : nil)
        let handler = AttemptHandler(owner: self, generation: attempt)
        transport.connect(request, handler: handler) { result in
            self.queue.async { self.connected(attempt, result) }
        }
    }

    private func connected(_ attempt: Int, _ result: Result<WebSocketConnection, WebSocketClientError>) {
        guard attempt == generation else { return }
        switch result {
        case .success(let connection): adopt(connection)
        case .failure(let error): failed(ClientFailure(error))
        }
    }

    /// The upgrade succeeded. Called from the handshake's completion, from `didOpen`, or
    /// with the first message (the transport may deliver bytes that came with the 101
    /// response before it reports completion); the first call wins.
    private func adopt(_ connection: WebSocketConnection) {
        guard self.connection !== connection, !state.isFinal else { return }
        if leaving { return connection.close(code: .normalClosure) }
        self.connection = connection
        everConnected = true
        failuresInRow = 0
        failingSince = nil
        setState(.connected)
        if !unanswered.isEmpty, unanswered.resumePing == nil {  // its answer follows the replay
            let id = nextCommandID()
            unanswered.resumePing = id
            transmit(id, .ping)
        }
        schedulePing()
    }

    /// Sends a `ping` now and every `pingInterval` while this connection lasts.
    private func schedulePing() {
        pinger?.cancel()
        guard let interval = options.pingInterval, let current = connection else { return }
        transmit(nextCommandID(), .ping)
        pinger = scheduler.schedule(after: interval) { [self] in
            queue.async {
                guard self.connection === current, case .connected = self.state, !self.leaving else { return }
                self.schedulePing()
            }
        }
    }

    func opened(_ attempt: Int, _ connection: WebSocketConnection) {
        queue.async { if attempt == self.generation { self.adopt(connection) } }
    }

    func received(_ attempt: Int, _ message: WebSocketMessage, on connection: WebSocketConnection) {
        queue.async {
            guard attempt == self.generation, case WebSocketMessage.text(let text) = message else { return }
            self.adopt(connection)
            // A newer server's event fails to decode: skipped.
            guard case .success(let frame) = ServerFrame.decode(text) else { return }
            let decoded = frame.message
            let now = self.scheduler.nowMilliseconds()
            guard self.model.apply(decoded, receivedAt: now) else { return }
            if let id = self.finalPing, frame.answers == id {  // the caller sent no such command
                self.pending[id] = nil
                return self.leaveIfSettled()
            }
            if let id = self.unanswered.resumePing, frame.answers == id {  // the replay is over
                self.pending[id] = nil
                self.reportUnknown()
                return self.leaveIfSettled()
            }
            self.onEvent(.message(decoded, raw: text, model: self.model))
            if let id = frame.acknowledges, let (command, sentAt) = self.unanswered.answered(id) {
                // A replayed own copy (iop.v2): carried out before the connection dropped.
                self.onEvent(.outcome(id, command, .accepted(roundTrip: .milliseconds(now - sentAt))))
            } else if let id = frame.acknowledges, let (command, sentAt) = self.pending.removeValue(forKey: id) {
                // An `ack`, or under iop.v2 the member's own copy of what the command posted.
                let roundTrip = Duration.milliseconds(now - sentAt)
                self.lastRoundTrip = roundTrip
                self.onEvent(.outcome(id, command, .accepted(roundTrip: roundTrip)))
            } else if case .error(let code, let text, let id?) = decoded,
                let (command, _) = self.pending.removeValue(forKey: id)
            {
                self.onEvent(.outcome(id, command, .refused(code: code, message: text)))
            }
            self.leaveIfSettled()
        }
    }

    func closed(_ attempt: Int, _ code: CloseCode?, reason: String) {
        queue.async {
            guard attempt == self.generation else { return }
            self.connection = nil
            self.finalPing = nil  // unanswered: the next connection sends its own
            self.pinger?.cancel()
            // Reported once the next connection has resumed (a replayed own copy may answer one).
            self.unanswered.keep(self.pending)
            self.unanswered.resumePing = nil
            self.pending = [:]
            if self.leaving { return self.finish(.closed(code: 1000, reason: nil)) }
            self.failed(.closed(code: code?.value, reason: reason.isEmpty ? nil : reason))
        }
    }

    private func failed(_ failure: ClientFailure) {
        let now = scheduler.nowMilliseconds()
        failingSince = failingSince ?? now
        failuresInRow += 1
        let withinLimits =
            everConnected
            ? now - (failingSince ?? now) < options.giveUpAfter.milliseconds
            : failuresInRow < options.attemptsBeforeFirstConnection
        guard failure.isRetryable, !leaving, withinLimits else { return finish(failure) }
        // A room moving between servers is back in seconds: retry at the first step, not a growing one.
        let step = failure.isRoomMoving ? 0 : failuresInRow - 1
        let delay = options.backoff.delay(attempt: step, using: &random)
        retry = scheduler.schedule(after: delay) { [self] in queue.async { self.connect() } }
        setState(.reconnecting(in: delay, attempt: failuresInRow + 1, cause: failure))
    }

    private func finish(_ failure: ClientFailure) {
        guard !state.isFinal else { return }
        reportUnknown()
        setState(.closed(failure))
    }

    /// Commands a dropped connection left unanswered and no resume answered: unknown.
    private func reportUnknown() {
        for (id, command) in unanswered.takeAll() {
            let message = "The connection dropped before the room answered; check whether it happened."
            onEvent(.outcome(id, command, .refused(code: "unknown", message: message)))
        }
    }

    private func setState(_ new: ConnectionState) {
        state = new
        onEvent(.state(new))
    }
}
