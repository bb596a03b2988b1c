import Glibc

/// A non-blocking listening socket (IPv4 or IPv6) whose accepts are driven by
/// an event loop's poller: a new connection costs no thread hop before its
/// loop takes it (none at all when that is the accepting loop).
final class Listener: PollWatcher, @unchecked Sendable {
    // `loop` and `accepted` are set once by `start`; everything after runs on `loop`.
    let fd: Int32
    let address: SocketAddress
    private var loop: EventLoop?
    private var accepted: ((Int32, SocketAddress) -> Void)?

    /// `socket` + `setsockopt(SO_REUSEADDR, TCP_NODELAY)` + `bind` + `listen`.
    /// Every accepted socket inherits `TCP_NODELAY` from this one (Linux
    /// copies the listener's options), so a connection costs no `setsockopt`.
    init(host: String, port: Int, backlog: Int32) throws(SocketError) {
        let requested = try SocketAddress(host: host, port: port)
        let fd = try Syscall.socket(family: requested.family)
        self.fd = fd
        do throws(SocketError) {
            try Syscall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            try Syscall.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            if requested.family == AF_INET6 {
                try Syscall.setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, 1)
            }
            let bound = requested.withSockAddr { Glibc.bind(fd, $0, $1) }
            guard bound == 0 else { throw SocketError("bind \(requested)", errno: Glibc.errno) }
            guard Glibc.listen(fd, backlog) == 0 else { throw SocketError("listen", errno: Glibc.errno) }
            address = try SocketAddress.local(of: fd)
        } catch {
            Syscall.close(fd)
            throw error
        }
    }

    /// Starts accepting on `loop` (call on it), handing each accepted socket to `accepted`.
    func start(on loop: EventLoop, accepted: @escaping (Int32, SocketAddress) -> Void) {
        self.loop = loop
        self.accepted = accepted
        loop.poller.watch(fd, by: self, from: .none, to: .readable)
    }

    /// Connections are waiting: accepts them, at most 512 per turn so one
    /// burst cannot starve the loop's other work (the rest come next turn).
    func pollerReported(readable: Bool, writable: Bool) {
        for _ in 0..<512 {
            guard let (client, peer) = try? Syscall.accept(fd) else { return }
            accepted?(client, peer)
        }
    }

    /// Stops accepting and closes the socket (on the loop, if started). The
    /// descriptor is closed after the turn, as a connection's is.
    func stop() {
        guard let loop else { return Syscall.close(fd) }
        self.loop = nil
        accepted = nil
        loop.poller.watch(fd, by: self, from: .readable, to: .none)
        loop.async { [fd] in Syscall.close(fd) }
    }
}
