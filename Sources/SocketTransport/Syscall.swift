import CEpoll
import Glibc

/// Thin wrappers over the socket system calls: each retries on `EINTR` and
/// turns a `-1` into a `SocketError` carrying `errno`.
enum Syscall {
    /// Runs `body` until it does not fail with `EINTR`.
    @inline(__always)
    static func retrying<T: BinaryInteger>(_ name: String, _ body: () -> T) throws(SocketError) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = Glibc.errno
            if code == EINTR { continue }
            throw SocketError(name, errno: code)
        }
    }

    /// `socket(2)`, non-blocking and close-on-exec.
    static func socket(family: Int32) throws(SocketError) -> Int32 {
        try retrying("socket") {
            Glibc.socket(
                family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
    }

    /// `setsockopt(2)` with an `Int32` value.
    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(SocketError) {
        var value = value
        _ = try retrying("setsockopt") {
            Glibc.setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// `getsockopt(SO_ERROR)`: the result of a non-blocking `connect`.
    static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if Glibc.getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) != 0 { return Glibc.errno }
        return value
    }

    /// `accept4(2)`: a socket that is non-blocking and close-on-exec from the
    /// start (one system call, where `accept` and `fcntl` took four); `nil` when none is pending.
    static func accept(_ fd: Int32) throws(SocketError) -> (Int32, SocketAddress)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let flags = Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        while true {
            let client = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    iop_accept4(fd, $0, &length, flags)
                }
            }
            if client >= 0 { return (client, SocketAddress(storage: storage)) }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK, ECONNABORTED: return nil
            case let code: throw SocketError("accept", errno: code)
            }
        }
    }

    /// `read(2)`: bytes read (0 at end of stream), or `nil` when it would block.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(SocketError) -> Int? {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return nil
            case let code: throw SocketError("read", errno: code)
            }
        }
    }

    /// `send(2)` with `MSG_NOSIGNAL` (a peer that went away must not raise
    /// SIGPIPE): bytes written, or 0 when it would block.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(SocketError) -> Int {
        while true {
            let count = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if count >= 0 { return count }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return 0
            case let code: throw SocketError("send", errno: code)
            }
        }
    }

    /// `sendmsg(2)` of several buffers at once, with `MSG_NOSIGNAL`: bytes
    /// written (0 when it would block), or the error.
    static func writeVectors(_ fd: Int32, _ vectors: UnsafeBufferPointer<iovec>) -> Result<Int, SocketError> {
        var message = msghdr()
        message.msg_iov = UnsafeMutablePointer(mutating: vectors.baseAddress)
        message.msg_iovlen = vectors.count
        while true {
            let count = Glibc.sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            if count >= 0 { return .success(count) }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .success(0)
            case let code: return .failure(SocketError("sendmsg", errno: code))
            }
        }
    }

    /// `close(2)`; errors are ignored, as the descriptor is gone either way.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// `shutdown(2)` of the write side: sends FIN once queued bytes are out.
    static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }
}
