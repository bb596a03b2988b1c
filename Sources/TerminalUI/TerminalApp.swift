import Dispatch
import Glibc
import RoomClient
import RoomCore
import RoomProtocol

/// The full-screen client: keys in, the room on screen, the terminal restored on
/// every exit path. Nothing is written anywhere but the terminal.
public final class TerminalApp: @unchecked Sendable {
    // Every `var` is confined to `queue` (the UI queue); `connection` is set once in
    // `run` before any event source is resumed.
    private let queue = DispatchQueue(label: "iop.ui")
    private let terminal = Terminal()
    private let address: ServerAddress
    private let token: String
    private let options: RoomConnectionOptions
    private var renderer: ANSIRenderer
    private var connection: RoomConnection!
    private var state = ScreenState()
    private var decoder = KeyDecoder()
    private var sources: [any DispatchSourceProtocol] = []
    private let clock = SystemScheduler()
    private let done = DispatchSemaphore(value: 0)
    private var exitStatus: Int32 = 0
    private var farewell = ""

    /// An app for one room; colors unless `NO_COLOR` is set.
    public init(address: ServerAddress, token: String, options: RoomConnectionOptions) {
        self.address = address
        self.token = token
        self.options = options
        renderer = ANSIRenderer(colors: getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true)
        state.unverifiedServer = address.tls?.insecureSkipVerification == true
    }

    /// Runs until the session ends or the member leaves; returns the exit status.
    public func run() -> Int32 {
        connection = RoomConnection(
            address: address, token: token, options: options,
            onEvent: { [self] event in queue.async { self.handle(event) } })
        terminal.enter()
        installSources()
        connection.start()
        queue.async { self.draw() }
        done.wait()
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
                connection.leave()
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

    private func handle(_ event: RoomConnectionEvent) {
        guard !sources.isEmpty else { return }
        switch event {
        case .state(let connectionState):
            state.connection = connectionState
            state.reconnectAt = nil
            if case .reconnecting(let delay, _, _) = connectionState {
                state.reconnectAt = clock.nowMilliseconds() + state.model.serverClockOffset + delay.milliseconds
            }
            if case .closed(let failure) = connectionState {
                finish(status: failure.exitStatus, message: failure.description)
            }
        case .message(let message, _, let model):
            let openedRound = model.checkIn != nil && state.model.checkIn == nil
            state.model = model
            state.append(Self.paneLines(for: message, in: model))
            if case .event(_, _, .messageRemoved(let removal)) = message { state.withdraw(removal) }
            if openedRound, model.role == .participant, !model.checkInResponded, let round = model.checkIn {
                state.checkInDialog = CheckInDialog(template: round.template)
            }
            if model.checkIn == nil || model.checkInResponded { state.checkInDialog = nil }
            if case .ended = model.stage { state.pane = [] }
        case .outcome(_, _, .accepted(let roundTrip)):
            state.roundTrip = roundTrip
        case .outcome(_, _, .refused(let code, let message)):
            if code == "not_sent" || code == "unknown" { state.append([PaneLine("! \(message)", kind: .error)]) }
        }
        draw()
    }

    static func paneLines(for message: ServerMessage, in model: RoomViewModel) -> [PaneLine] {
        let kind: PaneLine.Kind
        switch message {
        case .event(_, _, .message(let chat)):
            return EventText.lines(for: message, in: model).map { PaneLine($0, kind: .chat, message: chat.id) }
        case .event(_, _, .messageRemoved): return []  // shown by `withdraw`
        case .event(_, _, .crisisAlertRaised), .event(_, _, .idleWarning): kind = .alert
        case .error: kind = .error
        case .event(_, _, .roster), .event(_, _, .waitingRoom), .event(_, _, .checkInProgress): return []
        default: kind = .event
        }
        return EventText.lines(for: message, in: model).map { PaneLine($0, kind: kind) }
    }

    private func handle(_ key: Key) {
        if var dialog = state.checkInDialog {
            let action = dialog.handle(key)
            state.checkInDialog = dialog
            switch action {
            case .none: break
            case .dismiss: state.checkInDialog = nil
            case .pass: connection.send(.passCheckIn)
            case .submit(let answer): connection.send(.answerCheckIn(answer))
            }
            return
        }
        if state.model.role == .facilitator, let action = state.waitingKeys.handle(key, waiting: state.model.waiting) {
            switch action {
            case .admit(let member)?: connection.send(.admit(member))
            case .decline(let member)?: connection.send(.decline(member))
            case .confirmDecline(_, let alias)?:
                state.append([
                    PaneLine("Turn \(alias) away for this session? Press Alt-d again to confirm.", kind: .error)
                ])
            case nil: break
            }
            return
        }
        switch key {
        case .control("c"), .control("d"):
            connection.leave()
            finish(status: 0, message: "You left the room.")
        case .control("l"): renderer.invalidate()
        case .pageUp: state.scroll += max(1, terminal.size.height - 6)
        case .pageDown: state.scroll = max(0, state.scroll - max(1, terminal.size.height - 6))
        default:
            guard let line = state.editor.handle(key, completions: state.completions) else { return }
            submit(line)
        }
    }

    private func submit(_ line: String) {
        if case .ended = state.model.stage {
            return finish(status: 0, message: "The session has ended. Thank you for being here.")
        }
        let input = InputParser.parse(line, in: state.model)
        switch state.confirmation.resolve(input, at: clock.nowMilliseconds()) {
        case .command(let command): connection.send(command)
        case .confirm(_, let question): state.append([PaneLine(question, kind: .error)])
        case .help:
            state.append(
                InputParser.help(for: state.model.role, activities: state.model.activities).map { PaneLine($0) })
        case .quit:
            connection.leave()
            finish(status: 0, message: "You left the room.")
        case .nothing: break
        case .invalid(let why): state.append([PaneLine("! \(why)", kind: .error)])
        }
        state.scroll = 0
    }

    private func draw() {
        guard !sources.isEmpty else { return }  // finished: the terminal is being restored
        state.serverNow = clock.nowMilliseconds() + state.model.serverClockOffset
        let size = terminal.size
        Terminal.write(renderer.frame(RoomScreen.render(state, width: size.width, height: size.height)))
    }

    private func finish(status: Int32, message: String) {
        guard !sources.isEmpty else { return }
        sources.forEach { $0.cancel() }
        sources = []
        exitStatus = status
        farewell = message
        state = ScreenState()  // forget everything shown
        done.signal()
    }
}

/// One line to stdout after the terminal is restored.
enum FileOutputLine {
    static func write(_ text: String) { Terminal.write(text + "\n") }
}
