import Dispatch
import Glibc
import RoomClient
import RoomCore
import RoomProtocol
import SocketTransport

/// The full-screen client: keys in, the room on screen, the terminal restored on
/// every exit path. Nothing is written anywhere but the terminal. With several rooms
/// (facilitators only) one is in front, the others behind a tab strip with activity
/// marks, and a crisis alert of any room is shown whatever room is in front.
public final class TerminalApp: @unchecked Sendable {
    // Every `var` is confined to `queue` (the UI queue); `connections` is set once in
    // `run` before any event source is resumed.
    let queue = DispatchQueue(label: "iop.ui")
    let terminal = Terminal()
    private let joins: [RoomJoin]
    private let options: RoomConnectionOptions
    var renderer: ANSIRenderer
    var connections: [RoomConnection] = []
    /// Every room's screen state, and which room is in front.
    var rooms: RoomsState
    private var decoder = KeyDecoder()
    private var sources: [any DispatchSourceProtocol] = []
    let clock = SystemScheduler()
    private let done = DispatchSemaphore(value: 0)
    private var exitStatus: Int32 = 0
    private var farewell = ""

    /// An app for one room; colors unless `NO_COLOR` is set.
    public convenience init(address: ServerAddress, token: String, options: RoomConnectionOptions) {
        self.init(rooms: [RoomJoin(address: address, token: token)], options: options)
    }

    /// An app for `rooms` (several only for a facilitator: `iop` checks the tokens
    /// first), the first in front; colors unless `NO_COLOR` is set.
    public init(rooms: [RoomJoin], options: RoomConnectionOptions) {
        joins = rooms
        self.options = options
        renderer = ANSIRenderer(colors: getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true)
        self.rooms = RoomsState(
            rooms: rooms.map(\.address.room),
            unverifiedServer: rooms.contains { $0.address.tls?.insecureSkipVerification == true })
    }

    /// The room in front's screen state.
    var state: ScreenState {
        get { rooms.front }
        set { rooms.front = newValue }
    }

    /// Which room is in front, and the marks and alerts of the others.
    var tabs: RoomTabs { rooms.tabs }

    /// The room in front's connection.
    var connection: RoomConnection { connections[tabs.front] }

    /// How long, at most, the app waits after leaving for its connections' closing
    /// handshakes (a dead network must not hold the terminal).
    static let closingGrace = DispatchTimeInterval.seconds(2)

    /// Runs until the session ends or the member leaves; returns the exit status.
    public func run() -> Int32 {
        // Several rooms share one event loop thread, and one HTTP/2 connection when the
        // server speaks h2 (a connection each otherwise: see RoomTransport).
        let loops = joins.count > 1 ? EventLoopGroup(count: 1, label: "iop.client") : nil
        defer { loops?.stop() }
        let shared = loops.map { SharedRoomTransport(loop: $0.next(), configuration: options.transport) }
        // Each connection reports its final state once; the process waits for them (bounded)
        // so that leaving sends its close 1000 (the place is given up) before exiting.
        let closed = DispatchGroup()
        connections = joins.enumerated().map { index, room in
            closed.enter()
            return RoomConnection(
                address: room.address, token: room.token, options: options, transport: shared,
                onEvent: { [self] event in
                    if case .state(let state) = event, state.isFinal { closed.leave() }
                    queue.async { self.handle(event, room: index) }
                })
        }
        terminal.enter()
        installSources()
        connections.forEach { $0.start() }
        queue.async { self.draw() }
        done.wait()
        _ = closed.wait(timeout: .now() + Self.closingGrace)
        terminal.restore()
        if !farewell.isEmpty { FileOutputLine.write(farewell) }
        return exitStatus
    }

    private func installSources() {
        let input = DispatchSource.makeReadSource(fileDescriptor: 0, queue: queue)
        input.setEventHandler { [self] in
            var buffer = [UInt8](repeating: 0, count: 1024)
            let count = read(0, &buffer, buffer.count)
            if count <= 0 { return finish(status: 0, message: "") }
            for key in decoder.decode(Array(buffer[..<count]), flush: true) { handle(key) }
            draw()
        }
        sources.append(input)
        for signalNumber in [SIGTERM, SIGHUP, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: queue)
            source.setEventHandler { [self] in
                connections.forEach { $0.leave() }
                finish(status: 128 + signalNumber, message: "")
            }
            sources.append(source)
        }
        signal(SIGWINCH, SIG_IGN)
        let resize = DispatchSource.makeSignalSource(signal: SIGWINCH, queue: queue)
        resize.setEventHandler { [self] in
            renderer.invalidate()
            draw()
        }
        sources.append(resize)
        let tick = DispatchSource.makeTimerSource(queue: queue)
        tick.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        tick.setEventHandler { [self] in draw() }
        sources.append(tick)
        sources.forEach { $0.resume() }
    }

    private func handle(_ event: RoomConnectionEvent, room index: Int) {
        guard !sources.isEmpty else { return }
        switch rooms.apply(event, room: index, localNow: clock.nowMilliseconds()) {
        case .redraw: break
        case .bell: Terminal.write("\u{07}")
        case .finish(let status, let message): return finish(status: status, message: message)
        }
        draw()
    }

    /// Applies a room's message to its screen state (the pane, the check-in dialog).
    static func show(_ message: ServerMessage, model: RoomViewModel, on state: inout ScreenState) {
        let openedRound = model.checkIn != nil && state.model.checkIn == nil
        state.foldAgreement(leaving: state.model.stage, for: model)
        state.model = model
        var lines = paneLines(for: message, in: model)
        if case .event(_, let time, _) = message { for index in lines.indices { lines[index].time = time } }
        state.append(lines)
        if case .event(_, _, .messageRemoved(let removal)) = message { state.withdraw(removal) }
        if openedRound, model.role == .participant, !model.checkInResponded, let round = model.checkIn {
            state.checkInDialog = CheckInDialog(template: round.template)
        }
        if model.checkIn == nil || model.checkInResponded { state.checkInDialog = nil }
        if case .ended = model.stage { state.pane = [] }
    }

    static func paneLines(for message: ServerMessage, in model: RoomViewModel) -> [PaneLine] {
        let kind: PaneLine.Kind
        switch message {
        case .event(_, _, .message(let chat)):
            return EventText.lines(for: message, in: model).map { PaneLine($0, kind: .chat, message: chat.id) }
        case .event(_, _, .messageRemoved): return []  // shown by `withdraw`
        case .event(_, _, .crisisAlertRaised), .event(_, _, .idleWarning): kind = .alert
        case .error: kind = .error
        case .event(_, _, .roster), .event(_, _, .waitingRoom):
            return model.notices.map { PaneLine($0, kind: .event) }  // the lists are in the side panel
        case .event(_, _, .checkInProgress), .event(_, _, .pollProgress):
            return []  // the side panel shows them
        default: kind = .event
        }
        return EventText.lines(for: message, in: model).map { PaneLine($0, kind: kind) }
    }

    func draw() {
        guard !sources.isEmpty else { return }  // finished: the terminal is being restored
        state.serverNow = clock.nowMilliseconds() + state.model.serverClockOffset
        let size = terminal.size
        Terminal.write(renderer.frame(rooms.render(width: size.width, height: size.height)))
    }

    /// Leaves every room and ends the app.
    func leaveAll() {
        connections.forEach { $0.leave() }
        finish(status: 0, message: "You left the room\(tabs.isSeveral ? "s" : "").")
    }

    func finish(status: Int32, message: String) {
        guard !sources.isEmpty else { return }
        sources.forEach { $0.cancel() }
        sources = []
        exitStatus = status
        farewell = message
        rooms = RoomsState(rooms: joins.map(\.address.room))  // forget everything shown
        done.signal()
    }
}

/// One line to stdout after the terminal is restored.
enum FileOutputLine {
    static func write(_ text: String) { Terminal.write(text + "\n") }
}
