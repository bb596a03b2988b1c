import TestSupportCore
import Testing
import TransportTestSupport
import WebSocketCore

@testable import SocketTransport

/// WebSocketCore's conformance tables (TestSupportCore's `WebSocketVectors`),
/// the same ones `SessionConformanceTests` runs over a fake channel, run
/// through a session over an HTTP/2 stream (`HTTP2StreamChannel`): an
/// in-process server, h2c on loopback, an extended CONNECT to /echo (RFC 8441),
/// the vector's bytes as the stream's DATA, whole and one byte per DATA frame.
/// What the session answers comes back as the stream's DATA, and its end as
/// END_STREAM (RFC 8441 §5).
@Suite(.serialized) struct HTTP2ConformanceTests {
    static let pieces = [Int.max, 1]

    /// A new connection to `harness` with an /echo WebSocket open on stream 1; windows wide open.
    private func openEcho(_ harness: HTTP2Harness) throws -> HTTP2TestClient {
        let client = try harness.client(settings: [(4, 1 << 20)])
        client.write(HTTP2Wire.windowUpdate(stream: 0, 1 << 24))
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.webSocketConnect(path: "/echo")))
        let opened = try #require(client.next(on: 1))
        try #require(opened.field(":status") == "200")
        return client
    }

    /// Sends `bytes` on stream 1 as DATA frames of at most `piece` bytes.
    private func send(_ bytes: [UInt8], inPiecesOf piece: Int, _ client: HTTP2TestClient) {
        var offset = 0
        var frames: [UInt8] = []
        while offset < bytes.count {
            let end = min(offset + min(piece, 16_000), bytes.count)
            frames += HTTP2Wire.data(stream: 1, Array(bytes[offset..<end]))
            offset = end
        }
        client.write(frames)
    }

    /// Stream 1's DATA until END_STREAM or RST_STREAM (or `expected` bytes when given).
    private func output(_ client: HTTP2TestClient, until expected: Int = .max) -> (
        bytes: [UInt8], ended: Bool, reset: UInt32?
    ) {
        var bytes: [UInt8] = []
        while bytes.count < expected, let frame = client.next(on: 1) {
            if frame.isA(.data) { bytes += frame.payload }
            if frame.isA(.rstStream) { return (bytes, false, frame.errorCode) }
            if frame.endsStream { return (bytes, true, nil) }
        }
        return (bytes, false, nil)
    }

    /// The close code of the first (unmasked) Close frame in `bytes`, after
    /// any short frames before it (the echo of a whole message that came first).
    private func closeCode(_ bytes: [UInt8]) -> UInt16? {
        var offset = 0
        while offset + 2 <= bytes.count, bytes[offset + 1] < 126 {
            let length = Int(bytes[offset + 1])
            if bytes[offset] == 0x88 {
                guard length >= 2, offset + 4 <= bytes.count else { return nil }
                return UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])
            }
            offset += 2 + length
        }
        return nil
    }

    /// A frame a client must not send fails the session with its close code,
    /// then the server ends the stream.
    @Test(arguments: badFrames.filter { $0.role == .server }, pieces)
    func aBadFrameFailsTheSession(bad: BadFrame, piece: Int) throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try openEcho(harness)
        send(bad.bytes, inPiecesOf: piece, client)
        let answer = output(client)
        #expect(closeCode(answer.bytes) == bad.code, "\(bad.name)")
        #expect(answer.ended, "\(bad.name): no END_STREAM after the close")
    }

    @Test(arguments: validCloseCodes, pieces)
    func aValidCloseCodeIsEchoed(code: UInt16, piece: Int) throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try openEcho(harness)
        send(clientFrame(.close, closePayload(code, Array("bye".utf8))), inPiecesOf: piece, client)
        let answer = output(client)
        #expect(closeCode(answer.bytes) == code)
        #expect(answer.ended)
    }

    @Test(arguments: invalidCloseCodes)
    func anInvalidCloseCodeIsAProtocolError(code: UInt16) throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try openEcho(harness)
        send(clientFrame(.close, closePayload(code)), inPiecesOf: .max, client)
        let answer = output(client)
        #expect(closeCode(answer.bytes) == 1002)
        #expect(answer.ended)
    }

    /// RFC 6455 §5.7: the masked "Hello" (echoed unmasked), a pong the server
    /// ignores, and 256-byte and 64 KiB binary messages (16- and 64-bit lengths).
    @Test(arguments: pieces)
    func theRFCExamples(piece: Int) throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try openEcho(harness)
        send(RFCVectors.helloMasked + RFCVectors.pongHelloMasked, inPiecesOf: piece, client)
        #expect(output(client, until: RFCVectors.helloUnmasked.count).bytes == RFCVectors.helloUnmasked)
        send(clientFrame(.binary, RFCVectors.payload256), inPiecesOf: piece, client)
        #expect(output(client, until: RFCVectors.binary256.count).bytes == RFCVectors.binary256)
        if piece == .max {
            send(clientFrame(.binary, RFCVectors.payload64K), inPiecesOf: piece, client)
            #expect(output(client, until: RFCVectors.binary64K.count).bytes == RFCVectors.binary64K)
        }
    }
}
