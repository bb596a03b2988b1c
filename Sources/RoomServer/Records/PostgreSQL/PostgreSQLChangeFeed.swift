import Dispatch
import Foundation
import Logging
import Synchronization

/// What other nodes change, as it happens: revocations, rooms and programs
/// (``ChangeChannel``). One dedicated libpq connection LISTENs on every
/// channel, watched on a thread of its own, never a room's loop: `poll` on its
/// socket, then `PQconsumeInput` and `PQnotifies`. When the connection is lost
/// it connects again every `retryInterval` and, once listening, re-reads every
/// channel's table, so nothing changed while it was away is missed. `deliver`
/// gets a channel and ids (already known ones too, and this node's own
/// changes: it sorts them out).
public final class PostgreSQLChangeFeed: Sendable {
    /// The listening connection's `application_name` (`pg_stat_activity`).
    public static let applicationName = "iopd-changes"
    private let url: String
    private let logger: Logger
    private let retryInterval: Duration
    private let deliver: @Sendable (ChangeChannel, [String]) -> Void
    private let stopped = Atomic<Bool>(false)
    private let listening = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// A feed from the database at the libpq URI `url`; nothing happens until `start`.
    init(
        url: String, logger: Logger, retryInterval: Duration = .seconds(1),
        deliver: @escaping @Sendable (ChangeChannel, [String]) -> Void
    ) {
        self.url = url
        self.logger = logger
        self.retryInterval = retryInterval
        self.deliver = deliver
    }

    /// Starts the feed's thread.
    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "iop.changes"
        thread.start()
    }

    /// Stops the feed and waits (at most 5 s) for its thread to end.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        _ = finished.wait(timeout: .now() + 5)
    }

    /// Whether the feed is connected and listening now.
    public var isListening: Bool { listening.load(ordering: .relaxed) }

    /// Connects, listens and re-reads, over and over until stopped.
    private func run() {
        var lost = false
        while !stopped.load(ordering: .relaxed) {
            do {
                // A short connect timeout: `stop` never waits long for a database that is away.
                let connection = try PostgreSQLConnection(
                    url: url, connectTimeoutSeconds: 2, applicationName: Self.applicationName)
                // LISTEN before reading the tables: a change committed in between is in one or the other.
                for channel in ChangeChannel.allCases { _ = try connection.run("LISTEN \(channel.rawValue)", []) }
                var everything: [(ChangeChannel, [String])] = []
                for channel in ChangeChannel.allCases {
                    everything.append(
                        (channel, try connection.run(channel.everything, []).compactMap { $0.values.first?.text }))
                }
                listening.store(true, ordering: .relaxed)
                if lost { logger.notice("change feed listening again; revocations, rooms and programs re-read") }
                lost = false
                for (channel, ids) in everything { deliver(channel, ids) }
                try listen(on: connection)
            } catch {
                listening.store(false, ordering: .relaxed)
                if !lost {
                    logger.warning(
                        "change feed lost the records database; reconnecting", metadata: ["error": "\(error)"])
                }
                lost = true
                pause(retryInterval)
            }
        }
        listening.store(false, ordering: .relaxed)
    }

    /// Hands over every notification as it arrives, until stopped or the connection fails.
    private func listen(on connection: PostgreSQLConnection) throws(RecordDatabaseError) {
        while !stopped.load(ordering: .relaxed) {
            let arrived = connection.notifications()
            for channel in ChangeChannel.allCases {
                let ids = arrived.filter { $0.channel == channel.rawValue }.map(\.payload)
                if !ids.isEmpty { deliver(channel, ids) }
            }
            // A bounded wait, so that `stop` is seen within 200 ms.
            guard connection.waitReadable(milliseconds: 200) else { continue }
            try connection.consumeInput()
        }
    }

    /// Sleeps `duration` in short steps, returning early once stopped.
    private func pause(_ duration: Duration) {
        var left = duration
        while left > .zero, !stopped.load(ordering: .relaxed) {
            let step = min(left, .milliseconds(100))
            Thread.sleep(forTimeInterval: Double(step.components.attoseconds) / 1e18 + Double(step.components.seconds))
            left -= step
        }
    }
}
