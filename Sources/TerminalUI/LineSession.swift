import Dispatch
import Foundation
import RoomClient
import RoomCore
import RoomProtocol
import SocketTransport

/// Line mode: commands from stdin, events as readable lines (or JSON lines) on
/// stdout, the outcome as the exit status. For scripts, screen readers and tests.
public final class LineSession: @unchecked Sendable {
    // `outcome` is behind its own lock; `connection` is set once in `run` before any
    // event or input can arrive; `signalSources` is touched only in `run`.
    private let outcome = LockedValue(Outcome())
    private let finished = DispatchSemaphore(value: 0)
    /// Signalled once the room has spoken (its first event) or the join failed: input
    /// typed or piped before then waits, so `/accept` meets the agreement.
    private let ready = DispatchSemaphore(value: 0)
    private let address: ServerAddress
    private let token: String
    private let options: RoomConnectionOptions
    private let json: Bool
    private let out = FileOutput.standardOutput
    private var connection: RoomConnection!
    private var signalSources: [any DispatchSourceSignal] = []
    /// The clock for `/end`'s confirmation window.
    private let clock: any ClientScheduler

    /// How the session ends, and whether the room has spoken yet.
    private struct Outcome {
        var exitStatus: Int32 = 0
        var interruptedBy: Int32?
        var isReady = false
    }

    /// A session for one room; `json` prints every server message as one JSON line.
    public init(
        address: ServerAddress, token: String, options: RoomConnectionOptions, json: Bool,
        clock: any ClientScheduler = SystemScheduler()
    ) {
        self.address = address
        self.token = token
        self.options = options
        self.json = json
        self.clock = clock
    }

    /// Joins, runs until the connection is over, and returns the exit status.
    public func run() -> Int32 {
        connection = RoomConnection(
            address: address, token: token, options: options,
            onEvent: { [self] event in handle(event) })
        installSignalHandlers()
        let reader = Thread { [self] in readCommands() }
        reader.start()
        connection.start()
        finished.wait()
        return outcome.withLock { outcome in outcome.interruptedBy.map { 128 + $0 } ?? outcome.exitStatus }
    }

    private func installSignalHandlers() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [self] in
                outcome.withLock { $0.interruptedBy = signalNumber }
                connection.leave()
            }
            source.resume()
            signalSources.append(source)
        }
    }

    private func readCommands() {
        ready.wait()
        var confirmation = ConfirmationGate()  // this thread only
        while let line = readLine(strippingNewline: true) {
            let input = InputParser.parse(line, in: connection.currentModel)
            switch confirmation.resolve(input, at: clock.nowMilliseconds()) {
            case .command(let command): connection.send(command)
            case .confirm(_, let question): say(question, kind: "confirm")
            case .help:
                InputParser.help(for: connection.currentModel.role, activities: connection.currentModel.activities)
                    .forEach { say($0, kind: "help") }
            case .quit: return connection.leave(waitingForAnswers: .seconds(5))
            case .nothing: break
            case .invalid(let why): say("! \(why)", kind: "input_error")
            }
        }
        connection.leave(waitingForAnswers: .seconds(5))  // end of input: leave once answered
    }

    private func handle(_ event: RoomConnectionEvent) {
        switch event {
        case .message(let message, let raw, let model):
            if json { out.write(raw) } else { EventText.lines(for: message, in: model).forEach { out.write($0) } }
            if case .event = message { markReady() }
        case .outcome(let id, _, .refused(let code, let message)) where code == "not_sent" || code == "unknown":
            if json {
                out.write(
                    JSONLine.object(["type": "client.error", "id": id.rawValue, "code": code, "message": message]))
            } else {
                out.write("! \(message)")
            }
        case .outcome: break
        case .state(let state): show(state)
        }
    }

    private func show(_ state: ConnectionState) {
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
            out.write(JSONLine.object(fields))
        } else if case .closed(let failure) = state {
            out.write("* \(failure.description)")
        } else if state != .connecting(attempt: 1) {
            out.write("* \(state)")
        }
        guard case .closed(let failure) = state else { return }
        if !failure.isNormalEnd && !json { FileOutput.standardError.write("iop: \(failure.description)") }
        outcome.withLock { $0.exitStatus = failure.exitStatus }
        markReady()
        finished.signal()
    }

    private func markReady() {
        let first = outcome.withLock { outcome in
            defer { outcome.isReady = true }
            return !outcome.isReady
        }
        if first { ready.signal() }
    }

    private func say(_ text: String, kind: String) {
        out.write(json ? JSONLine.object(["type": "client.\(kind)", "text": text]) : text)
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
