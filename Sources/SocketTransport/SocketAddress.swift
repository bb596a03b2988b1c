import Glibc

/// An IPv4 or IPv6 socket address.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    let storage: [UInt8]  // the sockaddr bytes, kept as a value (read by AddressLimiter)

    init(storage raw: sockaddr_storage) {
        var raw = raw
        let length =
            Int32(raw.ss_family) == AF_INET6
            ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size
        storage = withUnsafeBytes(of: &raw) { Array($0.prefix(length)) }
    }

    /// An IPv4 address from its 4 bytes (network order) and a port.
    static func ipv4(_ address: ArraySlice<UInt8>, port: Int) -> SocketAddress {
        var raw = sockaddr_in()
        raw.sin_family = sa_family_t(AF_INET)
        raw.sin_port = UInt16(truncatingIfNeeded: port).bigEndian
        withUnsafeMutableBytes(of: &raw.sin_addr) { $0.copyBytes(from: address.prefix(4)) }
        return SocketAddress(raw: raw)
    }

    /// An IPv6 address from its 16 bytes (network order) and a port.
    static func ipv6(_ address: ArraySlice<UInt8>, port: Int) -> SocketAddress {
        var raw = sockaddr_in6()
        raw.sin6_family = sa_family_t(AF_INET6)
        raw.sin6_port = UInt16(truncatingIfNeeded: port).bigEndian
        withUnsafeMutableBytes(of: &raw.sin6_addr) { $0.copyBytes(from: address.prefix(16)) }
        return SocketAddress(raw: raw)
    }

    private init<Raw>(raw: Raw) {
        var raw = raw
        storage = withUnsafeBytes(of: &raw) { Array($0) }
    }

    /// Resolves a numeric address or a host name (`getaddrinfo(3)`) and a port.
    public init(host: String, port: Int) throws(SocketError) {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &result)
        guard status == 0, let first = result, let address = first.pointee.ai_addr else {
            throw SocketError("getaddrinfo(\(host))", errno: status == EAI_SYSTEM ? Glibc.errno : EINVAL)
        }
        defer { freeaddrinfo(result) }
        storage = Array(UnsafeRawBufferPointer(start: address, count: Int(first.pointee.ai_addrlen)))
    }

    /// `AF_INET` or `AF_INET6`.
    public var family: Int32 {
        storage.withUnsafeBytes { Int32($0.load(as: sockaddr.self).sa_family) }
    }

    /// The port, in host byte order.
    public var port: Int {
        storage.withUnsafeBytes { bytes in
            family == AF_INET6
                ? Int(UInt16(bigEndian: bytes.load(as: sockaddr_in6.self).sin6_port))
                : Int(UInt16(bigEndian: bytes.load(as: sockaddr_in.self).sin_port))
        }
    }

    /// The numeric host, e.g. `127.0.0.1` or `::1`.
    public var host: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        storage.withUnsafeBytes { bytes in
            if family == AF_INET6 {
                var address = bytes.load(as: sockaddr_in6.self).sin6_addr
                _ = inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count))
            } else {
                var address = bytes.load(as: sockaddr_in.self).sin_addr
                _ = inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count))
            }
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether this is a loopback address (127.0.0.0/8 or ::1).
    public var isLoopback: Bool {
        family == AF_INET6 ? host == "::1" || host.hasPrefix("::ffff:127.") : host.hasPrefix("127.")
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        family == AF_INET6 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    func withSockAddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        storage.withUnsafeBytes {
            body($0.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t($0.count))
        }
    }

    /// The local address a socket is bound to (`getsockname(2)`).
    static func local(of fd: Int32) throws(SocketError) -> SocketAddress {
        var raw = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &raw) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard status == 0 else { throw SocketError("getsockname", errno: Glibc.errno) }
        return SocketAddress(storage: raw)
    }
}
