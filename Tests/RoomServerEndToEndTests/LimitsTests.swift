import RoomServer
import ServerTestSupport
import Testing
import TransportTestSupport

/// `iopd`'s plain routes, against the real server (the transport's own limits
/// are tested in SocketTransportEndToEndTests).
@Suite(.serialized) struct LimitsTests {
    func response(to request: String, settings: ServerSettings = ServerSettings.echoTesting) async throws -> String {
        let harness = try await ServerHarness(settings: settings)
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        socket.write(request)
        return String(decoding: socket.readUntilClosed().bytes, as: UTF8.self)
    }

    @Test func plainRoutes() async throws {
        #expect(try await response(to: "GET /livez HTTP/1.1\r\nHost: a\r\n\r\n").hasPrefix("HTTP/1.1 200 OK"))
        #expect(try await response(to: "GET /nope HTTP/1.1\r\nHost: a\r\n\r\n").hasPrefix("HTTP/1.1 404"))
        let post = try await response(to: "POST /livez HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(post.hasPrefix("HTTP/1.1 405"))
        #expect(post.contains("Allow: GET, HEAD"))
        #expect(try await response(to: "GARBAGE\r\n\r\n").hasPrefix("HTTP/1.1 400"))
    }
}
