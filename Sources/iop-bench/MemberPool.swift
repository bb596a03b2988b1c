import BenchSupport
import SocketTransport
import Synchronization
import WebSocketCore

/// Opens every member's connection, with at most `window` handshakes in
/// flight: each finished handshake starts the next, so the server's accept
/// backlog is never flooded. Facilitators come first in `members`, so rooms
/// are usually open before their participants arrive.
final class MemberPool: Sendable {
    /// One member to connect: its handler, its request (path and token) and,
    /// with `--share`, the pool whose connection it shares with its simulated client's other members.
    struct Entry: Sendable {
        let client: MemberClient
        let request: WebSocketClientRequest
        let shared: WebSocketClientPool?
    }

    /// The bench's transport settings: a handshake may wait 30 s for a busy server.
    static let configuration: TransportConfiguration = {
        var configuration = TransportConfiguration()
        configuration.handshakeTimeout = .seconds(30)
        return configuration
    }()

    private let entries: [Entry]
    private let window: Int
    private let control: BenchControl
    private let configuration: TransportConfiguration
    /// Members with an index below this may be started.
    private let limit = Atomic<Int>(0)

    init(entries: [Entry], window: Int, loopCount: Int, control: BenchControl) {
        self.entries = entries
        self.window = max(1, window)
        self.control = control
        var configuration = TransportConfiguration()
        configuration.eventLoopCount = loopCount
        configuration.handshakeTimeout = .seconds(30)
        self.configuration = configuration
    }

    /// Starts handshakes for the members before `end` (at most `window` at
    /// once); returns at once. Call again with a larger `end` to go on.
    func start(upTo end: Int) {
        let end = min(end, entries.count)
        let begun = control.started.load(ordering: .relaxed)
        limit.store(end, ordering: .relaxed)
        for _ in 0..<min(window, max(0, end - begun)) { startNext() }
    }

    /// Takes the next index below the limit, if any.
    private func claimNext() -> Int? {
        var index = control.started.load(ordering: .relaxed)
        while index < limit.load(ordering: .relaxed), control.phase != .stopping {
            let (exchanged, original) = control.started.compareExchange(
                expected: index, desired: index + 1, ordering: .relaxed)
            if exchanged { return index }
            index = original
        }
        return nil
    }

    private func startNext() {
        guard let index = claimNext() else { return }
        let entry = entries[index]
        let state = entry.client.state
        let completion: @Sendable (Result<WebSocketConnection, WebSocketClientError>) -> Void = { [self] result in
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
        if let shared = entry.shared {
            return shared.connect(entry.request, handler: entry.client, completion: completion)
        }
        WebSocketClient.connect(
            entry.request, handler: entry.client, loop: state.loop, configuration: configuration,
            completion: completion)
    }
}
