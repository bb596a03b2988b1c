import Foundation
import Glibc
import WebSocketCore

/// A blocking TCP client for tests that speak raw bytes: handshakes written by
/// hand, malformed frames, trickled headers. Every read is bounded by a timeout.
public final class RawSocket {
    /// The socket descriptor.
    public let fd: Int32
    private var buffered: [UInt8] = []

    /// Connects to 127.0.0.1:`port`; a small `receiveBufferSize` makes a slow reader quickly.
    public init(port: Int, host: String = "127.0.0.1", receiveBufferSize: Int32? = nil) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &info) == 0, let first = info else {
            throw POSIXError(.EINVAL)
        }
        defer { freeaddrinfo(info) }
        fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBufferSize {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        guard fd >= 0, Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    deinit { Glibc.close(fd) }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Writes a string as UTF-8.
    public func write(_ text: String) { write(Array(text.utf8)) }

    /// Reads whatever arrives within `timeout`; empty at end of stream or timeout.
    public func readSome(timeout: Duration = .seconds(5)) -> [UInt8] {
        if !buffered.isEmpty {
            defer { buffered = [] }
            return buffered
        }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let millis = Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        guard poll(&poller, 1, millis) == 1 else { return [] }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return count > 0 ? Array(chunk[..<count]) : []
    }

    /// Reads until the peer closes or `timeout` passes; returns everything read.
    public func readUntilClosed(timeout: Duration = .seconds(5)) -> (bytes: [UInt8], closed: Bool) {
        var all: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) >= 0 else { return (all, true) }
            if poller.revents == 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count <= 0 { return (all, true) }
            all += chunk[..<count]
        }
        return (all, false)
    }

    /// Reads an HTTP response head (up to the blank line); leftover bytes are kept.
    public func readHead(timeout: Duration = .seconds(5)) -> String {
        var all: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let chunk = readSome(timeout: .milliseconds(200))
            all += chunk
            if let range = findBlankLine(all) {
                buffered = Array(all[range...])
                return String(decoding: all[..<range], as: UTF8.self)
            }
        }
        return String(decoding: all, as: UTF8.self)
    }

    private func findBlankLine(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    /// Performs a valid client handshake on `path`; returns the response head.
    @discardableResult
    public func upgrade(path: String = "/echo", extraHeaders: String = "") -> String {
        write(
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\(extraHeaders)\r\n")
        return readHead()
    }

    /// A masked client frame, as a client would send it.
    public static func clientFrame(
        _ opcode: Opcode, _ payload: [UInt8], fin: Bool = true, reservedBits: UInt8 = 0
    ) -> [UInt8] {
        FrameEncoder.encode(
            opcode, payload: payload, fin: fin, reservedBits: reservedBits,
            maskingKey: MaskingKey(0x37, 0xfa, 0x21, 0x3d))
    }
}
