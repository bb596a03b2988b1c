import RoomServer
import ServerTestSupport
import Testing
import TransportTestSupport

/// RFC 9110 §9.3.2: the answer to HEAD has the head a GET would get,
/// `Content-Length` included, and no body.
@Suite struct HeadRequestTests {
    /// Sends `request` on a raw socket and reads until the server closes; returns the head and the body.
    private func exchange(_ request: String, port: Int) throws -> (head: String, body: [UInt8]) {
        let socket = try RawSocket(port: port)
        socket.write(request)
        let (bytes, closed) = socket.readUntilClosed()
        #expect(closed)
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return (text, []) }
        let headBytes = text[..<end.upperBound].utf8.count
        return (String(text[..<end.lowerBound]), Array(bytes[headBytes...]))
    }

    @Test(arguments: ["/livez", "/readyz", "/metrics", "/no/such/route"])
    func headGetsTheHeadOfGetAndNoBody(path: String) async throws {
        let harness = try await ServerHarness()
        defer { harness.stop() }
        let get = try exchange("GET \(path) HTTP/1.1\r\nHost: a\r\n\r\n", port: harness.port)
        let head = try exchange("HEAD \(path) HTTP/1.1\r\nHost: a\r\n\r\n", port: harness.port)
        #expect(!get.body.isEmpty)
        #expect(head.body.count == 0, "no body after the head of a HEAD response")
        #expect(head.head.split(separator: "\r\n").first == get.head.split(separator: "\r\n").first)
        if path != "/metrics" {  // a scrape's length changes between two requests
            #expect(head.head.contains("Content-Length: \(get.body.count)"))
        } else {
            #expect(head.head.contains("Content-Length: "))
        }
    }
}
