import Testing
import WebSocketCore

@testable import SocketTransport

/// How an HTTP/2 request's header block maps onto what the router knows
/// (RFC 9113 §8.3, RFC 8441 §4–5), and the flood counters' windows: pure values, no sockets.
@Suite struct HTTP2RequestMappingTests {
    private func request(_ fields: [(String, String)], limit: Int = 16_384) -> HTTP2Request? {
        var request = HTTP2Request()
        for (name, value) in fields where !request.add(name: name, value: value, limit: limit) { return nil }
        return request
    }

    private let connect = [
        (":method", "CONNECT"), (":protocol", "websocket"), (":scheme", "https"), (":path", "/v1/rooms/r?x=1"),
        (":authority", "iop.example"), ("sec-websocket-version", "13"), ("authorization", "Bearer t"),
    ]

    @Test func aPlainRequestIsTheHeadHTTP11WouldHave() throws {
        let mapped = try #require(request([(":method", "GET"), (":path", "/livez"), (":authority", "a:1")]))
        #expect(mapped.kind == .plain(HTTPRequestHead(method: "GET", target: "/livez", headers: ["Host": "a:1"])))
    }

    @Test func anExtendedConnectIsTheUpgradeItStandsFor() throws {
        let mapped = try #require(request(connect))
        guard case .webSocket(let head) = mapped.kind else {
            Issue.record("\(mapped.kind)")
            return
        }
        #expect(head.method == "GET" && head.target == "/v1/rooms/r?x=1" && head.path == "/v1/rooms/r")
        #expect(head.headers["Authorization"] == "Bearer t" && head.headers["Host"] == "iop.example")
    }

    @Test(arguments: [
        (":protocol", "chat", 501), ("sec-websocket-version", "8", 400), ("sec-websocket-version", "", 400),
    ])
    func aWrongExtendedConnectIsRefusedWithItsStatus(name: String, value: String, status: Int) throws {
        let fields = connect.map { $0.0 == name ? (name, value) : $0 }
        let mapped = try #require(request(fields))
        guard case .refused(let refused, _, _) = mapped.kind else {
            Issue.record("\(mapped.kind)")
            return
        }
        #expect(refused == status)
    }

    @Test func aConnectWithoutProtocolIsATunnelAndRefused() throws {
        let mapped = try #require(request([(":method", "CONNECT"), (":authority", "a:443")]))
        guard case .refused(let status, _, let headers) = mapped.kind else {
            Issue.record("\(mapped.kind)")
            return
        }
        #expect(status == 405 && headers["Allow"] == "GET, HEAD")
    }

    @Test func theHeaderListCountsNamesValuesAnd32PerField() {
        let fields = [(":method", "GET"), (":path", "/")]  // 7 + 3 + 32 + 5 + 1 + 32 = 80
        #expect(request(fields, limit: 80) != nil)
        #expect(request(fields, limit: 79) == nil)
    }

    @Test func eachFloodCounterCountsInItsWindow() {
        var limits = HTTP2Configuration()
        limits.maxResetsPerWindow = 2
        limits.maxIdleFramesPerWindow = 1
        limits.floodWindow = .seconds(1)
        var guardian = HTTP2FloodGuard(limits: limits)
        let start: UInt64 = 5_000_000_000
        #expect(guardian.reset(at: start) == .fine)
        #expect(guardian.reset(at: start + 1) == .fine)
        #expect(guardian.idleFrame(at: start + 2) == .fine)
        #expect(guardian.reset(at: start + 3) == .tooManyResets)
        #expect(guardian.idleFrame(at: start + 4) == .tooManyIdleFrames)
        #expect(guardian.reset(at: start + 1_000_000_000) == .fine)  // a new window
        #expect(guardian.idleFrame(at: start + 1_000_000_001) == .fine)
    }
}
