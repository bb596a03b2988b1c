import BenchSupport
import SocketTransport
import WebSocketCore

/// Opens every member's connection, with at most `window` handshakes in
/// flight: each finished handshake starts the next, so the server's accept
/// backlog is never flooded. Facilitators come first in `members`, so rooms
/// are usually open before their participants arrive.
final class MemberPool: Sendable {
    /// One member to connect: its handler and its request (path and token).
    struct Entry: Sendable {
        let client: MemberClient
        let request: WebSocketClientRequest
    }

    private let entries: [Entry]
    private let window: Int
    private let control: BenchControl
    private let configuration: TransportConfiguration

    init(entries: [Entry], window: Int, loopCount: Int, control: BenchControl) {
        self.entries = entries
        self.window = max(1, window)
        self.control = control
        var configuration = TransportConfiguration()
        configuration.eventLoopCount = loopCount
        configuration.handshakeTimeout = .seconds(30)
        self.configuration = configuration
    }

    /// Starts the first `window` handshakes; returns at once.
    func start() {
        for _ in 0..<min(window, entries.count) { startNext() }
    }

    private func startNext() {
        let index = control.started.add(1, ordering: .relaxed).oldValue
        guard index < entries.count, control.phase != .stopping else { return }
        let entry = entries[index]
        let state = entry.client.state
        WebSocketClient.connect(
            entry.request, handler: entry.client, loop: state.loop, configuration: configuration
        ) { [self] result in
            // On `state.loop`.
            switch result {
            case .success:
                control.noteHandshake(succeeded: true)
            case .failure(let error):
                state.noteFailure(error.description)
                control.noteHandshake(succeeded: false)
            }
            startNext()
        }
    }
}
