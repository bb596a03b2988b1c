import Glibc
import Testing
import TransportTestSupport

@testable import SocketTransport

/// Each HTTP/2 limit against a real in-process server: what passes it is
/// refused or closed with its documented frame and counted, and what stays
/// within it is served.
@Suite(.serialized) struct HTTP2LimitTests {
    /// ENHANCE_YOUR_CALM (RFC 9113 §7).
    private let enhanceYourCalm: UInt32 = 0xb

    /// Reads until the server's SETTINGS (acknowledged by the client), so limits are in force.
    private func settled(_ client: HTTP2TestClient) {
        while let frame = client.next(), !frame.isA(.settings) {}
    }

    /// Each stream of `indexes` (stream `2 * index + 1`) opened on `/hang` and reset at once (a rapid reset).
    private func resets(_ indexes: Range<Int>) -> [UInt8] {
        var frames: [UInt8] = []
        for index in indexes {
            let stream = UInt32(2 * index + 1)
            frames += HTTP2Wire.headers(stream: stream, HTTP2Wire.request(path: "/hang"), endStream: true)
            frames += HTTP2Wire.reset(stream: stream)
        }
        return frames
    }

    /// The connection window opened wide, then 60 requests for `/big` (200 KB each).
    private func bigRequests() -> [UInt8] {
        var requests = HTTP2Wire.windowUpdate(stream: 0, 0x7fff_0000)
        for index in 0..<60 {
            requests += HTTP2Wire.headers(
                stream: UInt32(2 * index + 1), HTTP2Wire.request(path: "/big"), endStream: true)
        }
        return requests
    }

    /// Whether `condition` holds within 5 s (a bounded wait on the server's counters: it acts on its own loop).
    private func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            usleep(10_000)
        }
        return false
    }

    @Test func aStreamOverTheConcurrentLimitIsRefusedAndTheOthersGoOn() throws {
        let harness = try HTTP2Harness { $0.http2.maxConcurrentStreams = 2 }
        defer { harness.stop() }
        let client = try harness.client()
        // Sent before the client has read (and acknowledged) the server's SETTINGS.
        client.write(
            HTTP2Wire.headers(stream: 1, HTTP2Wire.request(path: "/hang"), endStream: true)
                + HTTP2Wire.headers(stream: 3, HTTP2Wire.request(path: "/hang"), endStream: true)
                + HTTP2Wire.headers(stream: 5, HTTP2Wire.request(path: "/hello"), endStream: true))
        #expect(client.response(on: 5).reset == 7)  // REFUSED_STREAM
        #expect(harness.statistics.refusals(.concurrentStreams) == 1)
        client.write(
            HTTP2Wire.reset(stream: 1)
                + HTTP2Wire.headers(stream: 7, HTTP2Wire.request(path: "/hello"), endStream: true))
        #expect(client.response(on: 7).status == 200)
    }

    @Test func aStreamOverTheAcknowledgedLimitIsAProtocolError() throws {
        let harness = try HTTP2Harness { $0.http2.maxConcurrentStreams = 2 }
        defer { harness.stop() }
        let client = try harness.client()
        settled(client)
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.request(path: "/hang"), endStream: true))
        client.write(HTTP2Wire.headers(stream: 3, HTTP2Wire.request(path: "/hang"), endStream: true))
        client.write(HTTP2Wire.headers(stream: 5, HTTP2Wire.request(path: "/hello"), endStream: true))
        #expect(client.goaway()?.errorCode == 1)  // PROTOCOL_ERROR (RFC 9113 §5.1.2, nghttp2)
        #expect(harness.statistics.refusals(.protocolError) == 1)
    }

    @Test func aHeaderListOverTheLimitResetsItsStreamOnly() throws {
        let harness = try HTTP2Harness { $0.http2.maxHeaderListSize = 1024 }
        defer { harness.stop() }
        let client = try harness.client()
        let bomb = HTTP2Wire.request(path: "/hello", extra: [("x-padding", String(repeating: "a", count: 2000))])
        client.write(HTTP2Wire.headers(stream: 1, bomb, endStream: true))
        #expect(client.response(on: 1).reset != nil)
        #expect(harness.statistics.refusals(.headerListSize) == 1)
        client.write(HTTP2Wire.headers(stream: 3, HTTP2Wire.request(path: "/hello"), endStream: true))
        #expect(client.response(on: 3).status == 200)
    }

    @Test func aHeaderListSpreadOverContinuationsCountsWhole() throws {
        let harness = try HTTP2Harness { $0.http2.maxHeaderListSize = 1024 }
        defer { harness.stop() }
        let client = try harness.client()
        let fields = HTTP2Wire.request(path: "/hello") + (0..<6).map { ("x-\($0)", String(repeating: "b", count: 200)) }
        let block = HTTP2Wire.headerBlock(fields)
        var frames = HTTP2Wire.frame(.headers, flags: HTTP2Wire.endStream, stream: 1, Array(block[..<300]))
        frames += HTTP2Wire.frame(.continuation, stream: 1, Array(block[300..<900]))
        frames += HTTP2Wire.frame(.continuation, flags: HTTP2Wire.endHeaders, stream: 1, Array(block[900...]))
        client.write(frames)
        #expect(client.response(on: 1).reset != nil)
        #expect(harness.statistics.refusals(.headerListSize) == 1)
    }

    @Test func anHPACKBombIsRefusedAsItsDecodedListGrows() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try harness.client()
        // A 4,000-byte field put in the dynamic table (RFC 7541 §6.2.1), then named again by index:
        // one byte on the wire decodes to 4 KB each time (§6.1); 100 of them are 400 KB.
        let big = [0x40, 7] + Array("x-bomb1".utf8) + HTTP2Wire.integer(4000, prefixBits: 7)
        let first =
            HTTP2Wire.headerBlock(HTTP2Wire.request(path: "/hello")) + big + [UInt8](repeating: 0x61, count: 4000)
        client.write(HTTP2Wire.frame(.headers, flags: HTTP2Wire.endHeaders | HTTP2Wire.endStream, stream: 1, first))
        #expect(client.response(on: 1).status == 200)
        let bomb = HTTP2Wire.headerBlock(HTTP2Wire.request(path: "/hello")) + [UInt8](repeating: 0xbe, count: 100)
        client.write(HTTP2Wire.frame(.headers, flags: HTTP2Wire.endHeaders | HTTP2Wire.endStream, stream: 3, bomb))
        #expect(client.response(on: 3).reset != nil)
        #expect(harness.statistics.refusals(.headerListSize) == 1)
    }

    @Test func endlessContinuationFramesEndTheConnection() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try harness.client()
        var flood = HTTP2Wire.frame(.headers, stream: 1, HTTP2Wire.headerBlock(HTTP2Wire.request(path: "/hello")))
        for _ in 0..<100 { flood += HTTP2Wire.frame(.continuation, stream: 1, []) }
        client.write(flood)
        #expect(client.socket.readUntilClosed().closed)
        #expect(harness.statistics.refusals(.protocolError) == 1)
    }

    @Test func rapidResetEndsTheConnectionWithEnhanceYourCalm() throws {
        let harness = try HTTP2Harness { $0.http2.maxResetsPerWindow = 10 }
        defer { harness.stop() }
        let client = try harness.client()
        client.write(resets(0..<11))
        #expect(client.goaway()?.errorCode == enhanceYourCalm)
        #expect(client.socket.readUntilClosed().closed)
        #expect(harness.statistics.refusals(.rapidReset) == 1)
    }

    @Test func tenResetsAreWithinTheLimit() throws {
        let harness = try HTTP2Harness { $0.http2.maxResetsPerWindow = 10 }
        defer { harness.stop() }
        let client = try harness.client()
        client.write(resets(0..<10) + HTTP2Wire.headers(stream: 21, HTTP2Wire.request(path: "/hello"), endStream: true))
        #expect(client.response(on: 21).status == 200)
        #expect(harness.statistics.refusals(.rapidReset) == 0)
    }

    @Test(arguments: ["ping", "settings", "empty data", "priority"])
    func aFloodOfFramesWithoutProgressEndsTheConnection(kind: String) throws {
        let harness = try HTTP2Harness { $0.http2.maxIdleFramesPerWindow = 20 }
        defer { harness.stop() }
        let client = try harness.client()
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.request("POST", path: "/hang")))
        let frame: [UInt8] =
            switch kind {
            case "ping": HTTP2Wire.frame(.ping, [UInt8](repeating: 0, count: 8))
            case "settings": HTTP2Wire.settings()
            case "empty data": HTTP2Wire.data(stream: 1, [])
            default: HTTP2Wire.frame(.priority, stream: 1, [0, 0, 0, 0, 16])
            }
        client.write(Array([[UInt8]](repeating: frame, count: 21).joined()))
        #expect(client.goaway()?.errorCode == enhanceYourCalm)
        #expect(harness.statistics.refusals(.idleFrames) == 1)
    }

    @Test func aClientThatNeverReadsIsClosedAtTheWriteQueueLimit() throws {
        let harness = try HTTP2Harness { $0.http2.maxQueuedBytes = 64 << 10 }
        defer { harness.stop() }
        let client = try harness.client(settings: [(4, 0x7fff_ffff)], receiveBufferSize: 4096)
        client.write(bigRequests())
        #expect(eventually { harness.statistics.refusals(.writeQueue) == 1 })
        #expect(client.socket.readUntilClosed(timeout: .seconds(10)).closed)
    }

    @Test func aGoawayTheClientNeverReadsEndsTheConnectionAfterTheCloseTimeout() throws {
        let harness = try HTTP2Harness {
            $0.http2.maxResetsPerWindow = 2
            $0.http2.maxQueuedBytes = 64 << 20
            $0.closeTimeout = .milliseconds(300)
        }
        defer { harness.stop() }
        let client = try harness.client(settings: [(4, 0x7fff_ffff)], receiveBufferSize: 4096)
        // Responses the client never reads (12 MB) fill the socket and its kernel buffers first.
        client.write(bigRequests())
        while let frame = client.next(), !frame.isA(.data) {}  // the server is writing them
        // Then a rapid reset: the GOAWAY it earns waits behind those responses.
        client.write(resets(60..<63))
        let calmed = eventually { harness.statistics.refusals(.rapidReset) == 1 }
        #expect(calmed)
        #expect(calmed && eventually { harness.server.statistics.openConnections.load(ordering: .relaxed) == 0 })
    }

    @Test func aConnectionThatCannotFitInTheMemoryBudgetIsClosed() throws {
        let harness = try HTTP2Harness { $0.memoryBudgetBytes = 4096 }
        defer { harness.stop() }
        let client = try harness.client()
        #expect(client.socket.readUntilClosed().closed)
        #expect(harness.statistics.refusals(.memoryBudget) == 1)
        #expect(harness.server.memoryBudget.usedBytes == 0)
    }
}
