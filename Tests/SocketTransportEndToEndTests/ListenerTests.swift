import Glibc
import Testing

@testable import SocketTransport

/// What an accepted socket is like before any byte moves: non-blocking,
/// close-on-exec and without Nagle's delay, straight from `accept4` and the
/// listening socket's options (no `fcntl` or `setsockopt` per connection).
@Suite struct ListenerTests {
    /// Connects a blocking client to `listener` and accepts it (bounded wait).
    private static func acceptOne(from listener: Listener) throws -> (client: Int32, accepted: Int32) {
        let client = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(client >= 0)
        let connected = listener.address.withSockAddr { Glibc.connect(client, $0, $1) }
        try #require(connected == 0)
        var ready = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
        try #require(poll(&ready, 1, 5000) == 1, "no connection to accept within 5 s")
        let accepted = try #require(try Syscall.accept(listener.fd))
        return (client, accepted.0)
    }

    private static func intOption(_ fd: Int32, _ level: Int32, _ name: Int32) -> Int32 {
        var value: Int32 = -1
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, level, name, &value, &length)
        return value
    }

    @Test func anAcceptedSocketIsNonBlockingCloseOnExecAndWithoutNagle() throws {
        let listener = try Listener(host: "127.0.0.1", port: 0, backlog: 8)
        defer { Syscall.close(listener.fd) }
        let (client, accepted) = try Self.acceptOne(from: listener)
        defer {
            Syscall.close(client)
            Syscall.close(accepted)
        }
        #expect(fcntl(accepted, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(accepted, F_GETFD) & FD_CLOEXEC != 0)
        #expect(Self.intOption(accepted, Int32(IPPROTO_TCP), TCP_NODELAY) != 0)
    }

    @Test func nothingPendingIsNil() throws {
        let listener = try Listener(host: "127.0.0.1", port: 0, backlog: 8)
        defer { Syscall.close(listener.fd) }
        #expect(try Syscall.accept(listener.fd) == nil)
    }
}
