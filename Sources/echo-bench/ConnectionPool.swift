import BenchSupport
import SocketTransport
import WebSocketCore

/// Opens `total` client connections spread round-robin over the loops, with
/// at most `window` handshakes in flight: each finished handshake starts the
/// next, so the server's accept backlog is never flooded.
final class ConnectionPool: Sendable {
    let control: RunControl
    let tallies: [LoopTally]
    private let request: WebSocketClientRequest
    private let total: Int
    private let window: Int
    private let configuration: TransportConfiguration
    private let makeHandler: @Sendable (LoopTally) -> any WebSocketHandler

    init(
        group: EventLoopGroup, request: WebSocketClientRequest, total: Int, window: Int,
        control: RunControl, makeHandler: @escaping @Sendable (LoopTally) -> any WebSocketHandler
    ) {
        tallies = group.loops.map { LoopTally(loop: $0) }
        self.request = request
        self.total = total
        self.window = max(1, window)
        self.control = control
        self.makeHandler = makeHandler
        var configuration = TransportConfiguration()
        configuration.eventLoopCount = group.loops.count
        self.configuration = configuration
    }

    /// Starts the first `window` handshakes; returns at once.
    func start() {
        for _ in 0..<min(window, total) { startNext() }
    }

    private func startNext() {
        let index = control.started.add(1, ordering: .relaxed).oldValue
        guard index < total, control.phase != .stopping else { return }
        let tally = tallies[index % tallies.count]
        WebSocketClient.connect(
            request, handler: makeHandler(tally), loop: tally.loop, configuration: configuration
        ) { [self] result in
            // On `tally.loop`.
            switch result {
            case .success(let connection):
                tally.connections.append(connection)
                control.opened.add(1, ordering: .relaxed)
            case .failure(let error):
                tally.noteFailure(error.description)
                control.failed.add(1, ordering: .relaxed)
            }
            if control.completed == total {
                control.allConnectedAt.store(monotonicNanoseconds(), ordering: .relaxed)
            }
            startNext()
        }
    }

    /// Closes every open connection and waits (bounded by `limit`) for the
    /// closing handshakes. Returns how many connections are still open.
    func closeAll(until limit: UInt64) -> Int {
        control.enter(.stopping)
        for tally in tallies { tally.closeAll() }
        let opened = control.opened.load(ordering: .relaxed)
        _ = control.wait(until: limit) { control.closed.load(ordering: .relaxed) >= opened }
        return max(0, opened - control.closed.load(ordering: .relaxed))
    }

    /// The figures of all loops, merged; nil if a loop did not answer within a second.
    func snapshot() -> LoopTally.Snapshot? {
        var merged = LoopTally.Snapshot()
        for tally in tallies {
            guard let snapshot = tally.snapshot(timeoutNanoseconds: 1_000_000_000) else { return nil }
            merged.merge(snapshot)
        }
        return merged
    }
}
