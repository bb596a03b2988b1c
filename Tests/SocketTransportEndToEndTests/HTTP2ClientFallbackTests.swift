import Glibc
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

/// A server that speaks HTTP/2 but does not send
/// `SETTINGS_ENABLE_CONNECT_PROTOCOL = 1` (RFC 8441 §3): the client sends no
/// extended CONNECT there, says GOAWAY, and opens the WebSocket over a new
/// HTTP/1.1 connection. The server is a bare listening socket driven byte by byte.
@Suite(.serialized) struct HTTP2ClientFallbackTests {
    /// A loopback listener whose connections are read and written directly (blocking, bounded by `poll`).
    final class BareServer: Sendable {
        let fd: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                    bind(fd, socketAddress, length) == 0 && listen(fd, 4) == 0
                        && getsockname(fd, socketAddress, &length) == 0
                }
            }
            guard bound else {
                close(fd)
                throw SocketError("listen", errno: errno)
            }
            self.fd = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(fd) }

        /// The next connection, or nil within 5 s.
        func accept() -> Int32? {
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 5000) == 1 else { return nil }
            let connection = Glibc.accept(fd, nil, nil)
            return connection >= 0 ? connection : nil
        }

        /// Reads until `enough` holds for what arrived, the peer closes, or 5 s pass.
        static func read(_ connection: Int32, until enough: ([UInt8]) -> Bool) -> [UInt8] {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !enough(bytes) {
                var ready = pollfd(fd: connection, events: Int16(POLLIN), revents: 0)
                guard poll(&ready, 1, 5000) == 1 else { break }
                let count = Glibc.read(connection, &buffer, buffer.count)
                guard count > 0 else { break }
                bytes += buffer[..<count]
            }
            return bytes
        }

        static func write(_ connection: Int32, _ bytes: [UInt8]) {
            _ = bytes.withUnsafeBytes { Glibc.write(connection, $0.baseAddress, $0.count) }
        }
    }

    /// Whether `bytes` hold an HTTP/2 frame of `type` after the 24-byte preface.
    private static func hasFrame(_ type: UInt8, in bytes: [UInt8]) -> Bool {
        var offset = HTTP2Wire.preface.count
        while offset + 9 <= bytes.count {
            if bytes[offset + 3] == type { return true }
            offset += 9 + (Int(bytes[offset]) << 16 | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]))
        }
        return false
    }

    @Test func withoutExtendedConnectTheWebSocketGoesOverANewHTTP1Connection() async throws {
        let server = try BareServer()
        let pool = WebSocketClientPool(loop: TestLoops.shared.next())
        let request = WebSocketClientRequest(
            host: "127.0.0.1", port: server.port, path: "/echo", headers: ["Authorization": "Bearer t0ken"],
            http2: .priorKnowledge)
        async let outcome = withCheckedContinuation { continuation in
            pool.connect(request, handler: TestEchoHandler()) { continuation.resume(returning: $0) }
        }
        let (h2Saw, http1Head) = try await offPool { () -> ([UInt8], String) in
            guard let h2 = server.accept() else { return ([], "") }
            defer { close(h2) }
            let first = BareServer.read(h2) { $0.count >= HTTP2Wire.preface.count }
            BareServer.write(h2, HTTP2Wire.settings([(0x3, 100)]))  // no SETTINGS_ENABLE_CONNECT_PROTOCOL
            guard let http1 = server.accept() else { return ([], "") }
            defer { close(http1) }
            let head = BareServer.read(http1) { $0.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) }
            BareServer.write(http1, Array("HTTP/1.1 401 Unauthorized\r\nContent-Length: 9\r\n\r\nbad token".utf8))
            // What the client said on the first connection meanwhile: GOAWAY, and no HEADERS.
            let said = first + BareServer.read(h2) { Self.hasFrame(0x7, in: first + $0) }
            return (said, String(decoding: head, as: UTF8.self))
        }
        #expect(Self.hasFrame(0x7, in: h2Saw), "GOAWAY on the connection without extended CONNECT")
        #expect(!Self.hasFrame(0x1, in: h2Saw), "no request was sent there")
        #expect(http1Head.hasPrefix("GET /echo HTTP/1.1\r\n"))
        #expect(http1Head.contains("Authorization: Bearer t0ken\r\n"))
        guard case .failure(let error) = await outcome else {
            Issue.record("the WebSocket opened against a 401")
            return
        }
        #expect(error.refusalStatus == 401)
        #expect(error.refusalBody == "bad token")
    }
}
