import Testing
import TransportTestSupport
import WebSocketCore

@testable import SocketTransport

/// WebSockets over HTTP/2 streams (RFC 8441) against a real in-process
/// server: the extended CONNECT mapping, its refusals, the close mapping,
/// and a stream whose window stays closed dropped without stalling another.
@Suite(.serialized) struct HTTP2WebSocketTests {
    /// A server text frame as it appears on the wire (unmasked).
    private func serverText(_ text: String) -> [UInt8] {
        FrameEncoder.encode(.text, payload: Array(text.utf8))
    }

    /// Reads DATA on `stream` until `expected` bytes arrived (or the stream ends).
    private func data(on stream: UInt32, _ client: HTTP2TestClient, count expected: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < expected, let frame = client.next(on: stream) {
            if frame.isA(.data) { bytes += frame.payload }
            if frame.isA(.rstStream) || frame.endsStream { break }
        }
        return bytes
    }

    @Test func anExtendedConnectOpensAWebSocketThatEchoesAndClosesWithEndStream() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try harness.client()
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.webSocketConnect(path: "/echo")))
        let opened = try #require(client.next(on: 1))
        #expect(opened.isA(.headers) && opened.field(":status") == "200")
        #expect(opened.field("sec-websocket-accept") == nil)
        #expect(!opened.endsStream)
        client.write(HTTP2Wire.data(stream: 1, RawSocket.clientFrame(.text, Array("hello over h2".utf8))))
        #expect(data(on: 1, client, count: 15) == serverText("hello over h2"))
        // RFC 8441 §5: the close handshake inside the stream, then END_STREAM each way.
        client.write(HTTP2Wire.data(stream: 1, RawSocket.clientFrame(.close, [0x03, 0xe8])))
        var reply: [UInt8] = []
        var ended = false
        while !ended, let frame = client.next(on: 1) {
            #expect(!frame.isA(.rstStream))
            if frame.isA(.data) { reply += frame.payload }
            ended = frame.endsStream
        }
        #expect(reply == FrameEncoder.encode(.close, payload: [0x03, 0xe8]))
        #expect(ended)
        client.write(HTTP2Wire.data(stream: 1, [], endStream: true))
        // The connection goes on: another stream is served.
        client.write(HTTP2Wire.headers(stream: 3, HTTP2Wire.request(path: "/hello"), endStream: true))
        #expect(client.response(on: 3).status == 200)
        #expect(harness.statistics.webSocketStreams.load(ordering: .relaxed) == 1)
    }

    @Test func aFailureWhoseCloseCannotPassAClosedWindowEndsWithRstStreamAfterTheCloseTimeout() throws {
        let harness = try HTTP2Harness { $0.closeTimeout = .milliseconds(300) }
        defer { harness.stop() }
        let client = try harness.client(settings: [(4, 0)])  // no stream window at all
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.webSocketConnect(path: "/echo")))
        #expect(client.next(on: 1)?.field(":status") == "200")
        // An unmasked client frame fails the WebSocket (1002, RFC 6455 §5.1) at once; its close
        // frame and END_STREAM can never leave: the stream is reset instead.
        client.write(HTTP2Wire.data(stream: 1, FrameEncoder.encode(.text, payload: Array("unmasked".utf8))))
        var reset: UInt32?
        while reset == nil, let frame = client.next(on: 1) {
            if frame.isA(.rstStream) { reset = frame.errorCode }
        }
        #expect(reset == 8)  // CANCEL
        #expect(harness.server.statistics.protocolViolations.load(ordering: .relaxed) == 1)
    }

    @Test func refusalsAreTheRoutesStatusesWithTheirBodies() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try harness.client()
        let cases: [(fields: [(String, String)], status: Int, body: String)] = [
            (HTTP2Wire.webSocketConnect(path: "/refused"), 401, "bad token\n"),
            (HTTP2Wire.webSocketConnect(path: "/nope"), 404, "not found\n"),
            (HTTP2Wire.webSocketConnect(path: "/hello"), 400, "not a WebSocket endpoint\n"),
            (
                HTTP2Wire.webSocketConnect(path: "/echo").filter { $0.0 != "sec-websocket-version" }, 400,
                "unsupported Sec-WebSocket-Version; this server speaks 13\n"
            ),
            (
                HTTP2Wire.webSocketConnect(path: "/echo").map { $0.0 == ":protocol" ? (":protocol", "chat") : $0 },
                501, "unsupported :protocol; this server speaks websocket\n"
            ),
            ([(":method", "CONNECT"), (":authority", "127.0.0.1:443")], 405, "CONNECT needs :protocol websocket\n"),
            (HTTP2Wire.request(path: "/echo"), 426, "WebSocket endpoint: use extended CONNECT (RFC 8441)\n"),
        ]
        for (index, refusal) in cases.enumerated() {
            let stream = UInt32(2 * index + 1)
            client.write(HTTP2Wire.headers(stream: stream, refusal.fields, endStream: refusal.fields[0].1 == "GET"))
            let response = client.response(on: stream)
            #expect(response.status == refusal.status, "case \(index)")
            #expect(String(decoding: response.body, as: UTF8.self) == refusal.body, "case \(index)")
        }
        #expect(harness.statistics.webSocketStreams.load(ordering: .relaxed) == 0)
    }

    @Test func aStreamWhoseWindowStaysClosedIsDroppedWhileAnotherKeepsWorking() throws {
        var router = HTTP2TestRouter()
        router.options.maxQueuedBytes = 16 << 10
        let harness = try HTTP2Harness({ $0.closeTimeout = .milliseconds(300) }, router: router)
        defer { harness.stop() }
        // The server may send 4 KiB per stream until the client opens more; the connection window is wide.
        let client = try harness.client(settings: [(4, 4096)])
        client.write(HTTP2Wire.windowUpdate(stream: 0, 1 << 30))
        for stream: UInt32 in [1, 3] {
            client.write(HTTP2Wire.headers(stream: stream, HTTP2Wire.webSocketConnect(path: "/echo")))
            #expect(client.next(on: stream)?.field(":status") == "200")
        }
        // Stream 1 echoes 48 KiB into a 4 KiB window it never opens: its queue passes 16 KiB.
        let chunk = RawSocket.clientFrame(.binary, [UInt8](repeating: 7, count: 8 << 10))
        for _ in 0..<6 { client.write(HTTP2Wire.data(stream: 1, chunk)) }
        // Stream 3 is answered meanwhile, and opens its window as it reads.
        client.write(HTTP2Wire.data(stream: 3, RawSocket.clientFrame(.text, Array("still here".utf8))))
        var echoed: [UInt8] = []
        var reset: UInt32?
        while reset == nil, let frame = client.next() {
            if frame.stream == 3, frame.isA(.data) {
                echoed += frame.payload
                client.write(HTTP2Wire.windowUpdate(stream: 3, UInt32(frame.payload.count)))
            }
            if frame.stream == 1, frame.isA(.rstStream) { reset = frame.errorCode }
            #expect(!(frame.stream == 3 && frame.isA(.rstStream)))
        }
        #expect(echoed == serverText("still here"))
        #expect(reset == 8)  // CANCEL, after the 1013 it never let through
        #expect(harness.server.statistics.slowConsumersDropped.load(ordering: .relaxed) == 1)
        client.write(HTTP2Wire.data(stream: 3, RawSocket.clientFrame(.text, Array("after".utf8))))
        #expect(data(on: 3, client, count: 7) == serverText("after"))
    }
}
