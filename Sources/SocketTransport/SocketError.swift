import Glibc

/// A failed system call: which call, and the `errno` it left.
public struct SocketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The C function that failed, e.g. `bind`.
    public let call: String
    /// The `errno` value it set.
    public let errno: Int32

    /// Creates an error for `call` with `errno`.
    public init(_ call: String, errno: Int32) {
        self.call = call
        self.errno = errno
    }

    /// `call: strerror(errno)`.
    public var description: String {
        "\(call): \(String(cString: strerror(errno)))"
    }
}
