import SocketTransport
import Testing
import WebSocketCore

@Suite struct HTTPHeadParserTests {
    static let upgrade = Array(
        ("GET /echo?x=1 HTTP/1.1\r\nHost: example\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version:   13  \r\n\r\n").utf8)

    /// Parses `bytes` fed in chunks of `size`, returning the outcome.
    func parse(_ bytes: [UInt8], chunk size: Int, limit: Int = 16384) throws(HTTPHeadParser.Failure) -> (
        HTTPRequestHead, [UInt8]
    )? {
        var parser = HTTPHeadParser(maxHeadLength: limit)
        var index = 0
        while index < bytes.count {
            let end = min(index + size, bytes.count)
            let outcome = try Array(bytes[index..<end]).withUnsafeBytes { raw in
                Result { () throws(HTTPHeadParser.Failure) in try parser.parseRequest(raw) }
            }.get()
            if case .complete(let head, let leftover) = outcome {
                return (head, leftover + bytes[end...])
            }
            index = end
        }
        return nil
    }

    @Test(arguments: [1, 2, 3, 7, 64, 10_000])
    func parsesUpgradeInAnyChunking(chunk: Int) throws {
        let result = try #require(try parse(Self.upgrade + [0x81, 0x00], chunk: chunk))
        #expect(result.0.method == "GET")
        #expect(result.0.target == "/echo?x=1")
        #expect(result.0.path == "/echo")
        #expect(result.0.headers["sec-websocket-version"] == "13")
        #expect(result.0.headers.contains("connection", token: "UPGRADE"))
        #expect(result.1 == [0x81, 0x00])
        #expect(ServerHandshake.validate(result.0) == .success("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="))
    }

    @Test func oversizeHeadIs431BeforeItEnds() {
        let endless = Array("GET / HTTP/1.1\r\nX: \(String(repeating: "a", count: 20_000))".utf8)
        #expect(throws: HTTPHeadParser.Failure.self) { _ = try parse(endless, chunk: 1000) }
        do {
            _ = try parse(endless, chunk: 1000)
        } catch {
            #expect(error.status == 431)
        }
    }

    @Test(arguments: [
        "GET / HTTP/1.1 extra\r\n\r\n",
        "GET /\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
        "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        "GET / HTTP/1.1\r\nX: a\u{1}b\r\n\r\n",
        " GET / HTTP/1.1\r\n\r\n",
    ])
    func malformedHeadsAre400(text: String) {
        do {
            _ = try parse(Array(text.utf8), chunk: 3)
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.status == 400)
        }
    }

    /// Fuzz finding (Fuzz/regressions/http-ows-before-combining-mark.bin): a space
    /// followed by a combining mark is one Character but two things to HTTP.
    @Test func whitespaceBeforeCombiningMarkIsTrimmedAsBytes() throws {
        let bytes = Array("GET / HTTP/1.1\r\nA: \u{301}\r\nB:\u{301} \r\n\r\n".utf8)
        let (head, _) = try #require(try parse(bytes, chunk: 1))
        #expect(Array(head.headers.values("A")[0].utf8) == [0xCC, 0x81])
        #expect(Array(head.headers.values("B")[0].utf8) == [0xCC, 0x81])
    }

    @Test func parsesResponseHead() throws {
        var parser = HTTPHeadParser()
        let bytes = Array("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n".utf8)
        let outcome = try bytes.withUnsafeBytes { raw in
            Result { () throws(HTTPHeadParser.Failure) in try parser.parseResponse(raw) }
        }.get()
        guard case .complete(let head, let leftover) = outcome else {
            Issue.record("incomplete")
            return
        }
        #expect(head.status == 101)
        #expect(head.reason == "Switching Protocols")
        #expect(leftover.isEmpty)
    }
}
