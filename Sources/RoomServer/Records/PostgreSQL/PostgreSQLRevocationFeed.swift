import Dispatch
import Foundation
import Logging
import Synchronization

/// Revocations made on other nodes, as they happen. One dedicated libpq
/// connection LISTENs on ``channel`` (the node that stores a revocation
/// NOTIFYs in the same transaction, with the token id as the only payload),
/// watched on a thread of its own, never a room's loop: `poll` on its socket,
/// then `PQconsumeInput` and `PQnotifies`. When the connection is lost it
/// connects again every `retryInterval` and, once listening, re-reads the whole
/// `revocations` table, so nothing revoked while it was away is missed.
/// `deliver` gets token ids (already known ones too; it sorts them out).
public final class PostgreSQLRevocationFeed: Sendable {
    /// The notification channel.
    static let channel = "iop_revocations"
    /// The listening connection's `application_name` (`pg_stat_activity`).
    public static let applicationName = "iopd-revocations"
    private let url: String
    private let logger: Logger
    private let retryInterval: Duration
    private let deliver: @Sendable ([String]) -> Void
    private let stopped = Atomic<Bool>(false)
    private let listening = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// A feed from the database at the libpq URI `url`; nothing happens until `start`.
    init(
        url: String, logger: Logger, retryInterval: Duration = .seconds(1),
        deliver: @escaping @Sendable ([String]) -> Void
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
        thread.name = "iop.revocations"
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
                // LISTEN before reading the table: a revocation committed in between is in one or the other.
                _ = try connection.run("LISTEN \(Self.channel)", [])
                let known = try connection.run("SELECT token_id FROM revocations", []).compactMap {
                    $0.values.first?.text
                }
                listening.store(true, ordering: .relaxed)
                if lost { logger.notice("revocation feed listening again; revocations re-read") }
                lost = false
                deliver(known)
                try listen(on: connection)
            } catch {
                listening.store(false, ordering: .relaxed)
                if !lost {
                    logger.warning(
                        "revocation feed lost the records database; reconnecting", metadata: ["error": "\(error)"])
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
            let tokenIDs = connection.notifications(on: Self.channel)
            if !tokenIDs.isEmpty { deliver(tokenIDs) }
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
