import Glibc
import Logging

/// A server connection's receive path without a listener, for the HTTP/2 fuzz
/// target (`Fuzz/fuzz-http2`): a real `HTTP2ServerConnection` and its
/// `HTTP2SocketLink` over one end of a socket pair, on a loop of its own. The
/// input is fed as a socket's reads would be (`received`, then the turn's
/// send), what the server writes is read back from the other end, and when the
/// connection is closed everything it reserved must be back in the budget.
/// Package-internal: fuzzing and tests only.
package final class HTTP2ServerProbe: @unchecked Sendable {
    // The loop's state is touched only inside `loop.sync`.
    /// The budget the connection's buffers are charged to.
    package let budget: MemoryBudget
    private let group = EventLoopGroup(count: 1, label: "iop.http2-probe")
    private let router: any HTTPRouter
    private let configuration: TransportConfiguration
    private let statistics = TransportStatistics()
    private let logger: Logger
    private let peer: SocketAddress?

    /// A probe whose connections route with `router` under `configuration`.
    package init(router: any HTTPRouter, configuration: TransportConfiguration = TransportConfiguration()) {
        self.router = router
        self.configuration = configuration
        budget = MemoryBudget(limit: configuration.memoryBudgetBytes)
        var logger = Logger(label: "iop.http2-probe")
        logger.logLevel = .critical
        self.logger = logger
        peer = try? SocketAddress(host: "127.0.0.1", port: 1)
    }

    /// What one connection came to: the bytes the server wrote, and the bytes
    /// still reserved from the budget once it was closed (0 unless something leaks).
    package struct Outcome: Sendable {
        /// Bytes the server wrote to the socket.
        package var written: Int
        /// Budget bytes not given back after the close.
        package var leaked: Int
    }

    /// Feeds `chunks`, in order, to a new server connection (after the client
    /// preface when `preface`), one loop turn each, then closes it.
    package func run(_ chunks: [[UInt8]], preface: Bool) -> Outcome {
        let loop = group.next()
        var fds: [Int32] = [0, 0]
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard let peer, socketpair(AF_UNIX, kind, 0, &fds) == 0 else { return Outcome(written: 0, leaked: 0) }
        let before = budget.usedBytes
        let link = HTTP2SocketLink(
            fd: fds[0], loop: loop, tls: nil, account: BudgetAccount(budget), configuration: configuration)
        let (router, configuration, statistics, logger) = (router, configuration, statistics, logger)
        let connection = loop.sync {
            HTTP2ServerConnection(
                link: link, peer: peer, router: router, configuration: configuration, statistics: statistics,
                logger: logger)
        }
        var written = 0
        if let connection {
            loop.sync { link.connection = connection }
            for chunk in (preface ? [SocketChannel.http2Preface] : []) + chunks where !chunk.isEmpty {
                loop.sync {
                    chunk.withUnsafeBytes { connection.received($0) }
                    link.requestSend()
                }
                loop.sync {}  // the turn's send and flush, queued by `requestSend`
                written += drain(fds[1])
            }
        }
        loop.sync { link.close() }
        var leaked = budget.usedBytes - before
        for _ in 0..<10 where leaked != 0 {  // the close and what it ends run in later turns
            loop.sync {}
            leaked = budget.usedBytes - before
        }
        written += drain(fds[1])
        Glibc.close(fds[1])
        return Outcome(written: written, leaked: leaked)
    }

    /// Reads and drops what the server wrote; how many bytes.
    private func drain(_ fd: Int32) -> Int {
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return total }
            total += count
        }
    }
}
