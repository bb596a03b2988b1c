import Dispatch
import Glibc

/// The socket (plain or TLS) under one HTTP/2 server connection: reads at
/// most ``WebSocketConnection/inputPerTurn`` bytes per loop turn and hands
/// the plaintext to its `HTTP2ServerConnection`; writes what the connection
/// produced, charging what waits for a slow socket to the memory budget.
/// Taken over from the HTTP/1.1 connection that saw the client preface
/// (`HTTP2Handoff`). Everything on the loop's thread.
final class HTTP2SocketLink: PollWatcher, @unchecked Sendable {
    // Confined to the loop's thread; closures queued on the loop carry it there.
    /// Where the plaintext goes; set once, right after init, and let go when
    /// the socket is closed (the two hold each other until then).
    var connection: (any HTTP2LinkOwner)?
    let fd: Int32
    let loop: EventLoop
    let tls: TLSSession?
    let account: BudgetAccount
    private let limits: HTTP2Configuration
    private let closeTimeout: Duration
    private var outbound = OutboundQueue()
    private var outboundCharged = 0
    private var interest = PollInterest.none
    private var flushScheduled = false
    private var closeWhenFlushed = false
    private(set) var isClosed = false
    /// Our FIN is sent: input is read and dropped until the peer's FIN or `lingerDeadline`.
    private(set) var lingerDeadline: UInt64 = 0
    /// Called once when the socket is closed (the server's connection count).
    var onFinish: (() -> Void)?

    init(fd: Int32, loop: EventLoop, tls: TLSSession?, account: BudgetAccount, configuration: TransportConfiguration) {
        self.fd = fd
        self.loop = loop
        self.tls = tls
        self.account = account
        limits = configuration.http2
        closeTimeout = configuration.closeTimeout
    }

    /// Bytes written by the connection and not yet taken by the socket.
    var queuedBytes: Int { outbound.byteCount }

    /// Starts watching the socket for input.
    func start() {
        setInterest(.readable)
    }

    /// Queues bytes (from the connection's `send()`); they are written right after it.
    func write(_ bytes: [UInt8]) {
        guard !isClosed, lingerDeadline == 0 else { return }
        outbound.append(bytes)
        guard outbound.byteCount <= limits.maxQueuedBytes else {
            connection?.linkOverflowed()
            return close()
        }
    }

    /// Closes once everything queued is written (TLS close_notify, then FIN, then a short linger).
    func closeAfterFlush() {
        closeWhenFlushed = true
        requestSend()
    }

    /// Closes now: stops watching; the descriptor is closed after this turn.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        setInterest(.none)
        loop.async { [self] in finish() }
    }

    func pollerReported(readable: Bool, writable: Bool) {
        if writable, interest == .readableAndWritable { flush() }
        if readable, interest != .none { self.readable() }
    }

    private func readable() {
        guard !isClosed else { return }
        let scratch = loop.scratch
        let input = UnsafeMutableRawBufferPointer(rebasing: scratch[..<WebSocketConnection.inputPerTurn])
        let count: Int?
        do {
            count = try Syscall.read(fd, into: input)
        } catch {
            return close()
        }
        guard let count else { return }
        guard count > 0 else { return close() }
        guard lingerDeadline == 0 else { return }  // draining after our FIN
        let bytes = UnsafeRawBufferPointer(rebasing: input[..<count])
        guard let tls else {
            connection?.received(bytes)
            return requestSend()
        }
        guard tls.feed(bytes) else { return close() }
        readPlaintext(tls)
    }

    /// Right after the hand-over: records that arrived with the preface may
    /// still wait in the TLS session, and the socket will not report them again.
    func readBufferedPlaintext() {
        if let tls { readPlaintext(tls) }
    }

    /// Decrypts what TLS holds and hands it to the connection.
    private func readPlaintext(_ tls: TLSSession) {
        // Plaintext goes to the first 64 KiB; the rest of the scratch stays free for the streams.
        let scratch = loop.scratch
        let plain = UnsafeMutableRawBufferPointer(rebasing: scratch[..<min(scratch.count / 2, 64 << 10)])
        while !isClosed {
            switch tls.read(into: plain) {
            case .data(let count):
                connection?.received(UnsafeRawBufferPointer(rebasing: plain[..<count]))
                if !tls.hasBufferedInput { return requestSend() }
            case .needMoreInput: return requestSend()
            case .closed: return close()
            case .failed: return close()
            }
        }
    }

    func requestSend() {
        guard !flushScheduled else { return }
        flushScheduled = true
        loop.async { [self] in
            connection?.send()
            flushScheduled = false
            flush()
        }
    }

    private func flush() {
        guard !isClosed else { return }
        do {
            let done = try tls.map(flushTLS) ?? outbound.flush(to: fd)
            guard account.keepCharge(&outboundCharged, for: outbound.byteCount, step: 4096) else {
                account.budget?.count(.outbound)
                return close()
            }
            watchWritability(!done)
            if done, closeWhenFlushed { startLingering() }
        } catch {
            close()
        }
    }

    private func flushTLS(_ tls: TLSSession) throws -> Bool {
        guard try tls.writePending(to: fd) else { return false }
        if !outbound.isEmpty {
            _ = try outbound.flush { bytes throws in
                guard try tls.writePending(to: fd) else { return 0 }
                return try tls.encrypt(bytes)
            }
        }
        return try tls.writePending(to: fd) && outbound.isEmpty
    }

    private func startLingering() {
        guard lingerDeadline == 0, !isClosed else { return }
        if let tls, !tls.closeNotifySent {
            tls.shutdown()
            return flush()
        }
        Syscall.shutdownWrite(fd)
        lingerDeadline = DispatchTime.now().uptimeNanoseconds + closeTimeout.nanoseconds
        // Whoever checks the deadline looks sooner than it had planned.
        if let keeper = connection as? any DeadlineKeeper { loop.check(keeper, noLaterThan: lingerDeadline) }
    }

    private func watchWritability(_ wanted: Bool) {
        guard interest != .none else { return }
        setInterest(wanted ? .readableAndWritable : .readable)
    }

    private func setInterest(_ new: PollInterest) {
        guard loop.poller.watch(fd, by: self, from: interest, to: new) || new == .none else {
            return close()
        }
        interest = new
    }

    private func finish() {
        Syscall.close(fd)
        connection?.linkClosed()
        connection = nil
        outbound = OutboundQueue()
        outboundCharged = 0
        account.releaseAll()
        let onFinish = self.onFinish
        self.onFinish = nil
        onFinish?()
    }
}
