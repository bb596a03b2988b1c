import Dispatch
import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import SocketTransport

/// Line mode: commands from stdin, events as readable lines (or JSON lines) on
/// stdout, the outcome as the exit status. For scripts, screen readers and tests.
/// With several rooms (facilitators only) every line names its room, commands go to
/// the room in front and `/room NAME` brings another to the front.
public final class LineSession: @unchecked Sendable {
    // `outcome` is behind its own lock; `connections` is set once in `run` before any
    // event or input can arrive; `signalSources` is touched only in `run`.
    private let outcome: LockedValue<Outcome>
    /// Rooms moving to another server now (``movingLine(_:room:)``).
    private let moving = LockedValue<Set<Int>>([])
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled once every room has spoken (its first event) or its join failed: input
    /// typed or piped before then waits, so `/accept` meets the agreement.
    private let ready = DispatchSemaphore(value: 0)
    private let rooms: [RoomJoin]
    private let options: RoomConnectionOptions
    private let json: Bool
    private let out = FileOutput.standardOutput
    private var connections: [RoomConnection] = []
    private var signalSources: [any DispatchSourceSignal] = []
    /// The clock for `/end`'s confirmation window.
    private let clock: any ClientScheduler

    /// How the session ends, which room is in front, and which rooms have spoken.
    private struct Outcome {
        var tabs: RoomTabs
        var interruptedBy: Int32?
        var spoken: Set<Int> = []
        var isReady = false
    }

    /// A session for one room; `json` prints every server message as one JSON line.
    public convenience init(
        address: ServerAddress, token: String, options: RoomConnectionOptions, json: Bool,
        clock: any ClientScheduler = SystemScheduler()
    ) {
        self.init(rooms: [RoomJoin(address: address, token: token)], options: options, json: json, clock: clock)
    }

    /// A session for `rooms` (several only for a facilitator: `iop` checks the tokens
    /// first), the first in front; `json` prints every server message as one JSON line.
    public init(
        rooms: [RoomJoin], options: RoomConnectionOptions, json: Bool, clock: any ClientScheduler = SystemScheduler()
    ) {
        self.rooms = rooms
        self.options = options
        self.json = json
        self.clock = clock
        outcome = LockedValue(Outcome(tabs: RoomTabs(rooms: rooms.map(\.address.room))))
    }

    private var isSeveral: Bool { rooms.count > 1 }

    /// The line for a state that is not final, or nil to stay quiet: while a room
    /// moves to another server (a few seconds of 503 `room_elsewhere`) one line says
    /// so, not one per attempt; the first connect says nothing.
    private func movingLine(_ state: ConnectionState, room index: Int) -> String? {
        switch state {
        case .reconnecting(_, _, let cause) where cause.isRoomMoving:
            return moving.withLock { $0.insert(index).inserted } ? state.description : nil
        case .connecting(let attempt):
            return attempt == 1 || moving.withLock({ $0.contains(index) }) ? nil : state.description
        case .connected, .reconnecting, .closed:
            moving.withLock { _ = $0.remove(index) }
            return state.description
        }
    }

    /// Joins, runs until every connection is over, and returns the exit status: with
    /// several rooms, the first room's (in the order given) that did not end normally, else 0.
    public func run() -> Int32 {
        let loops = isSeveral ? EventLoopGroup(count: 1, label: "iop.client") : nil
        defer { loops?.stop() }
        // One HTTP/2 connection for every room when the server speaks h2 (see RoomTransport).
        let shared = loops.map { SharedRoomTransport(loop: $0.next(), configuration: options.transport) }
        connections = rooms.enumerated().map { index, room in
            RoomConnection(
                address: room.address, token: room.token, options: options, transport: shared,
                onEvent: { [self] event in handle(event, room: index) })
        }
        installSignalHandlers()
        let reader = Thread { [self] in readCommands() }
        reader.start()
        connections.forEach { $0.start() }
        finished.wait()
        return outcome.withLock { outcome in
            let failures = outcome.tabs.tabs.compactMap(\.closed)
            return outcome.interruptedBy.map { 128 + $0 } ?? failures.first { $0.exitStatus != 0 }?.exitStatus ?? 0
        }
    }

    private func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                outcome.withLock { $0.interruptedBy = signalNumber }
                connections.forEach { $0.leave() }
            }
            source.resume()
            signalSources.append(source)
        }
    }

    private func readCommands() {
        ready.wait()
        var confirmation = ConfirmationGate()  // this thread only
        while let line = readLine(strippingNewline: true) {
            let front = outcome.withLock { $0.tabs.front }
            if isSeveral, let command = RoomKeys.roomCommand(line) {
                switchRoom(command)
                continue
            }
            let connection = connections[front]
            let input = InputParser.parse(line, in: connection.currentModel)
            switch confirmation.resolve(input, at: clock.nowMilliseconds()) {
            case .command(let command): connection.send(command)
            case .confirm(_, let question): say(question, kind: "confirm", room: front)
            case .help:
                InputParser.help(for: connection.currentModel.role, activities: connection.currentModel.activities)
                    .forEach { say($0, kind: "help", room: front) }
                if isSeveral { RoomKeys.lineHelp.forEach { say($0, kind: "help", room: front) } }
            case .quit: return connections.forEach { $0.leave(waitingForAnswers: .seconds(5)) }
            case .nothing: break
            case .invalid(let why): say("! \(why)", kind: "input_error", room: front)
            }
        }
        connections.forEach { $0.leave(waitingForAnswers: .seconds(5)) }  // end of input: leave once answered
    }

    /// `/room`: lists the rooms; `/room NAME`: brings one to the front.
    private func switchRoom(_ command: RoomKeys.Command) {
        let (front, said): (Int, [String]) = outcome.withLock { outcome in
            switch command {
            case .list: return (outcome.tabs.front, RoomKeys.list(outcome.tabs))
            case .switchTo(let name):
                guard let index = outcome.tabs.index(named: name) else {
                    return (outcome.tabs.front, ["! No room “\(name)” here. \(RoomKeys.roomNames(outcome.tabs))"])
                }
                outcome.tabs.bringToFront(index)
                let tab = outcome.tabs.tabs[index]
                return (index, ["* Now in \(tab.room) (\(tab.name)): commands go to this room.".safeForTerminal])
            }
        }
        said.forEach { say($0, kind: "room", room: front) }
    }

    private func handle(_ event: RoomConnectionEvent, room index: Int) {
        switch event {
        case .message(let message, let raw, let model):
            outcome.withLock { _ = $0.tabs.received(message, model: model, in: index) }
            if json {
                write(raw, room: index)
            } else {
                EventText.lines(for: message, in: model).forEach { write($0, room: index) }
            }
            if case .event = message { markReady(index) }
        case .outcome(let id, _, .refused(let code, let message)) where code == "not_sent" || code == "unknown":
            if json {
                let line = JSONLine.object([
                    "type": "client.error", "id": id.rawValue, "code": code, "message": message,
                ])
                write(line, room: index)
            } else {
                write("! \(message)", room: index)
            }
        case .outcome: break
        case .state(let state): show(state, room: index)
        }
    }

    private func show(_ state: ConnectionState, room index: Int) {
        if json {
            var fields = ["type": "client.state", "state": Self.name(of: state)]
            if case .closed(let failure) = state {
                fields["code"] = failure.code
                fields["message"] = failure.description
            }
            if case .reconnecting(let delay, let attempt, _) = state {
                fields["delayMs"] = "\(delay.milliseconds)"
                fields["attempt"] = "\(attempt)"
            }
            write(JSONLine.object(fields), room: index)
        } else if case .closed(let failure) = state {
            write("* \(failure.description)", room: index)
        } else if let line = movingLine(state, room: index) {
            write("* \(line)", room: index)
        }
        guard case .closed(let failure) = state else { return }
        if !failure.isNormalEnd && !json {
            FileOutput.standardError.write(
                "iop: \(isSeveral ? "\(rooms[index].address.room): " : "")\(failure.description)")
        }
        let allClosed = outcome.withLock { outcome in
            outcome.tabs.closed(index, failure)
            return outcome.tabs.allClosed
        }
        markReady(index)
        if allClosed { finished.signal() }
    }

    /// Room `index` has spoken (or failed); input starts once every room has.
    private func markReady(_ index: Int) {
        let first = outcome.withLock { outcome in
            outcome.spoken.insert(index)
            guard !outcome.isReady, outcome.spoken.count == rooms.count else { return false }
            outcome.isReady = true
            return true
        }
        if first { ready.signal() }
    }

    private func say(_ text: String, kind: String, room index: Int) {
        write(json ? JSONLine.object(["type": "client.\(kind)", "text": text]) : text, room: index)
    }

    /// Writes one line; with several rooms, named by its room: `[room-a] …`, or with
    /// `--json` `{"room":"room-a","message":…}`.
    private func write(_ line: String, room index: Int) {
        guard isSeveral else { return out.write(line) }
        let room = rooms[index].address.room
        out.write(json ? "{\"room\":\(JSONLine.quote(room)),\"message\":\(line)}" : "[\(room)] \(line)")
    }

    private static func name(of state: ConnectionState) -> String {
        switch state {
        case .connecting: "connecting"
        case .connected: "connected"
        case .reconnecting: "reconnecting"
        case .closed: "closed"
        }
    }
}
