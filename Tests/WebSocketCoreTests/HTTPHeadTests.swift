import TestSupportCore
import Testing
import WebSocketCore

/// Header look-ups and request and response heads (RFC 9110 §5, RFC 9112).
@Suite struct HTTPHeadTests {
    @Test func headerLookupIsCaseInsensitive() {
        let headers: HTTPHeaders = ["Content-Type": "text/plain", "X-A": "1", "x-a": "2"]
        #expect(headers["content-type"] == "text/plain")
        #expect(headers["CONTENT-TYPE"] == "text/plain")
        #expect(headers["X-A"] == nil)  // repeated
        #expect(headers.values("X-a") == ["1", "2"])
        #expect(headers.values("missing") == [])
        #expect(headers["missing"] == nil)
        #expect(Array(headers).map(\.name) == ["Content-Type", "X-A", "x-a"])
    }

    @Test func headerTokensAreTrimmedLowerCasedAndSpreadOverFields() {
        let headers: HTTPHeaders = [
            "Connection": " Keep-Alive ,,\tUPGRADE\t", "connection": "close", "Other": "x",
        ]
        #expect(headers.tokens("CONNECTION") == ["keep-alive", "upgrade", "close"])
        #expect(headers.contains("connection", token: "Upgrade"))
        #expect(headers.contains("Connection", token: "CLOSE"))
        #expect(!headers.contains("Connection", token: "upgraded"))
        #expect(!headers.contains("Other", token: "upgrade"))
        #expect(" \t a b \t".trimmingHTTPWhitespace() == "a b")
    }

    @Test func headersCompareInOrder() {
        let a: HTTPHeaders = ["A": "1", "B": "2"]
        let b: HTTPHeaders = ["B": "2", "A": "1"]
        #expect(a != b)
        #expect(a == HTTPHeaders([(name: "A", value: "1"), (name: "B", value: "2")]))
    }

    @Test(arguments: [
        ("/v1/rooms/abc?x=1", "/v1/rooms/abc"), ("/", "/"), ("/a?b?c", "/a"), ("/x?", "/x"),
        ("?q", ""),
        ("/plain", "/plain"), ("", ""),
    ])
    func requestPathStripsTheQuery(target: String, path: String) {
        #expect(HTTPRequestHead(method: "GET", target: target).path == path)
    }

    @Test func responseReasonsAndSerialization() {
        #expect(HTTPResponseHead(status: 426).reason == "Upgrade Required")
        #expect(HTTPResponseHead(status: 405).reason == "Method Not Allowed")
        #expect(HTTPResponseHead(status: 299).reason == "Status 299")
        let head = HTTPResponseHead(status: 400, reason: "Nope", headers: ["A": "b"])
        #expect(head.serialized() == Array("HTTP/1.1 400 Nope\r\nA: b\r\n\r\n".utf8))
        let request = HTTPRequestHead(
            method: "GET", target: "/x", minorVersion: 0, headers: ["Host": "h"])
        #expect(request.serialized() == Array("GET /x HTTP/1.0\r\nHost: h\r\n\r\n".utf8))
    }
}
