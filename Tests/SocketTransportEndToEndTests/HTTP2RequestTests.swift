import Testing
import TransportTestSupport

@testable import SocketTransport

/// Plain requests over HTTP/2 with prior knowledge (h2c from loopback),
/// answered through the same router as HTTP/1.1, many streams at once.
@Suite(.serialized) struct HTTP2RequestTests {
    @Test func aPlainGetIsAnsweredOnItsStream() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try harness.client()
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.request(path: "/hello"), endStream: true))
        let response = client.response(on: 1)
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "hello\n")
        #expect(response.fields.contains { $0 == ("content-type", "text/plain; charset=utf-8") })
        #expect(response.fields.contains { $0 == ("content-length", "6") })
        #expect(!response.fields.contains { $0.0 == "connection" })
        #expect(harness.statistics.connections.load(ordering: .relaxed) == 1)
    }

    @Test func aHeadRequestGetsTheHeadOnly() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try harness.client()
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.request("HEAD", path: "/hello"), endStream: true))
        let response = client.response(on: 1)
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.fields.contains { $0 == ("content-length", "6") })
    }

    @Test func manyStreamsAreAnsweredAtOnceWhateverTheOrderOfTheirDecisions() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try harness.client()
        let paths = ["/later", "/hello", "/refused", "/nope"]
        var requests: [UInt8] = []
        for index in 0..<40 {
            requests += HTTP2Wire.headers(
                stream: UInt32(2 * index + 1), HTTP2Wire.request(path: paths[index % 4]), endStream: true)
        }
        client.write(requests)
        var statuses: [UInt32: Int] = [:]
        while statuses.count < 40, let frame = client.next() {
            if frame.isA(.headers), let status = frame.field(":status").flatMap({ Int($0) }) {
                statuses[frame.stream] = status
            }
        }
        let expected = [200, 200, 401, 404]
        for index in 0..<40 { #expect(statuses[UInt32(2 * index + 1)] == expected[index % 4]) }
    }

    @Test func aBodyLargerThanTheWindowFlowsAsTheClientOpensIt() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try harness.client()
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.request(path: "/big"), endStream: true))
        var body = 0
        var ended = false
        while !ended, let frame = client.next(on: 1) {
            guard frame.isA(.data) else { continue }
            body += frame.payload.count
            ended = frame.endsStream
            let opened = UInt32(frame.payload.count)
            if opened > 0 {
                client.write(HTTP2Wire.windowUpdate(stream: 1, opened) + HTTP2Wire.windowUpdate(stream: 0, opened))
            }
        }
        #expect(body == 200_000)
        #expect(ended)
    }

    @Test func withCleartextOffThePrefaceIsAnHTTP11RequestAndRefused() throws {
        let harness = try HTTP2Harness { $0.http2.cleartext = .off }
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        socket.write(HTTP2Wire.preface)
        #expect(socket.readHead().hasPrefix("HTTP/1.1 "))
        #expect(harness.statistics.connections.load(ordering: .relaxed) == 0)
    }

    @Test func aPrefaceInPiecesIsStillHTTP2() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        for byte in HTTP2Wire.preface { socket.write([byte]) }
        socket.write(HTTP2Wire.settings())
        let first = socket.readSome()
        #expect(first.count >= 9 && first[3] == HTTP2Wire.FrameType.settings.rawValue)
    }
}
