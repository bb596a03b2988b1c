import Dispatch
import Glibc

/// A non-blocking listening socket (IPv4 or IPv6) whose accepts are driven by
/// a Dispatch read source.
final class Listener: @unchecked Sendable {
    // `source` is set once before resume and cancelled once; fd is immutable.
    let fd: Int32
    let address: SocketAddress
    private var source: DispatchSourceRead?

    /// `socket` + `setsockopt(SO_REUSEADDR)` + `bind` + `listen`.
    init(host: String, port: Int, backlog: Int32) throws(SocketError) {
        let requested = try SocketAddress(host: host, port: port)
        let fd = try Syscall.socket(family: requested.family)
        self.fd = fd
        do throws(SocketError) {
            try Syscall.setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
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

    /// Starts accepting on `queue`, handing each accepted socket to `accepted`.
    func start(on queue: DispatchQueue, accepted: @escaping (Int32, SocketAddress) -> Void) {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        let fd = self.fd
        source.setEventHandler {
            // Bounded per event so one burst cannot starve the queue.
            for _ in 0..<512 {
                guard let (client, peer) = try? Syscall.accept(fd) else { return }
                accepted(client, peer)
            }
        }
        source.setCancelHandler { Syscall.close(fd) }
        self.source = source
        source.resume()
    }

    /// Stops accepting and closes the socket.
    func stop() {
        if let source {
            source.cancel()
        } else {
            Syscall.close(fd)
        }
        source = nil
    }
}
