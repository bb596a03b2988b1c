import TestSupportCore
import Testing
import WebSocketCore

let sampleKey = "dGhlIHNhbXBsZSBub25jZQ=="
let sampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

/// The §1.3 request, with fields replaced (`nil` value: removed) or added.
func upgradeRequest(
    method: String = "GET", minorVersion: Int = 1, replacing: [String: String?] = [:],
    adding: [(String, String)] = []
) -> HTTPRequestHead {
    let base: [(String, String)] = [
        ("Host", "server.example.com"), ("Upgrade", "websocket"), ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", sampleKey), ("Origin", "http://example.com"),
        ("Sec-WebSocket-Version", "13"),
    ]
    var headers = HTTPHeaders()
    for (name, value) in base {
        if let replacement = replacing[name] {
            if let replacement { headers.add(name: name, value: replacement) }
        } else {
            headers.add(name: name, value: value)
        }
    }
    for (name, value) in adding { headers.add(name: name, value: value) }
    return HTTPRequestHead(
        method: method, target: "/chat", minorVersion: minorVersion, headers: headers)
}

struct Refusal: Sendable, CustomTestStringConvertible {
    var name: String
    var request: HTTPRequestHead
    var status: Int
    var testDescription: String { name }
}

let refusals: [Refusal] = [
    Refusal(name: "POST", request: upgradeRequest(method: "POST"), status: 405),
    Refusal(name: "lower-case get", request: upgradeRequest(method: "get"), status: 405),
    Refusal(name: "HTTP/1.0", request: upgradeRequest(minorVersion: 0), status: 400),
    Refusal(name: "no Host", request: upgradeRequest(replacing: ["Host": nil]), status: 400),
    Refusal(
        name: "two Hosts", request: upgradeRequest(adding: [("Host", "evil.example")]), status: 400),
    Refusal(name: "no Upgrade", request: upgradeRequest(replacing: ["Upgrade": nil]), status: 426),
    Refusal(
        name: "Upgrade: h2c", request: upgradeRequest(replacing: ["Upgrade": "h2c"]), status: 400),
    Refusal(
        name: "Upgrade: websockets", request: upgradeRequest(replacing: ["Upgrade": "websockets"]),
        status: 400),
    Refusal(
        name: "no Connection", request: upgradeRequest(replacing: ["Connection": nil]), status: 400),
    Refusal(
        name: "Connection: keep-alive",
        request: upgradeRequest(replacing: ["Connection": "keep-alive"]), status: 400),
    Refusal(
        name: "Connection: upgraded",
        request: upgradeRequest(replacing: ["Connection": "upgraded"]), status: 400),
    Refusal(
        name: "no key", request: upgradeRequest(replacing: ["Sec-WebSocket-Key": nil]), status: 400),
    Refusal(
        name: "empty key", request: upgradeRequest(replacing: ["Sec-WebSocket-Key": ""]),
        status: 400),
    Refusal(
        name: "key not base64",
        request: upgradeRequest(replacing: ["Sec-WebSocket-Key": "not base64 at all!!!!!!="]),
        status: 400),
    Refusal(
        name: "key of 15 bytes",
        request: upgradeRequest(replacing: ["Sec-WebSocket-Key": "AAAAAAAAAAAAAAAAAAAA"]),
        status: 400),
    Refusal(
        name: "key of 17 bytes",
        request: upgradeRequest(replacing: ["Sec-WebSocket-Key": "AAAAAAAAAAAAAAAAAAAAAAA="]),
        status: 400),
    Refusal(
        name: "key of 18 bytes",
        request: upgradeRequest(replacing: ["Sec-WebSocket-Key": "AAAAAAAAAAAAAAAAAAAAAAAA"]),
        status: 400),
    Refusal(
        name: "key URL-safe base64",
        request: upgradeRequest(replacing: ["Sec-WebSocket-Key": "AAAAAAAAAAAAAAAAAAAA-_=="]),
        status: 400),
    Refusal(
        name: "key with padding inside",
        request: upgradeRequest(replacing: ["Sec-WebSocket-Key": "AAAAAAAAAAA=AAAAAAAAAA=="]),
        status: 400),
    Refusal(
        name: "key with a space",
        request: upgradeRequest(replacing: ["Sec-WebSocket-Key": "AAAAAAAAAAA AAAAAAAAAA=="]),
        status: 400),
    Refusal(
        name: "two keys", request: upgradeRequest(adding: [("Sec-WebSocket-Key", sampleKey)]),
        status: 400),
    Refusal(
        name: "no version", request: upgradeRequest(replacing: ["Sec-WebSocket-Version": nil]),
        status: 426),
    Refusal(
        name: "version 8", request: upgradeRequest(replacing: ["Sec-WebSocket-Version": "8"]),
        status: 426),
    Refusal(
        name: "version 14", request: upgradeRequest(replacing: ["Sec-WebSocket-Version": "14"]),
        status: 426),
]

@Suite struct HandshakeTests {
    @Test func acceptValueOfTheRFCKey() {
        #expect(WebSocketAccept.value(forKey: sampleKey) == sampleAccept)
        #expect(WebSocketAccept.isValidKey(sampleKey))
    }

    @Test func madeKeysAreValidAndSeeded() {
        var rng = SplitMix64(seed: 42)
        var again = SplitMix64(seed: 42)
        for _ in 0..<100 {
            let key = WebSocketAccept.makeKey(using: &rng)
            #expect(key.utf8.count == 24)
            #expect(WebSocketAccept.isValidKey(key))
            #expect(WebSocketAccept.makeKey(using: &again) == key)
        }
    }

    @Test(arguments: [
        ("Upgrade", "websocket"), ("Upgrade", "WebSocket"), ("Upgrade", "WEBSOCKET"),
        ("Upgrade", "h2c, websocket"),
        ("Connection", "keep-alive, Upgrade"), ("Connection", "upgrade"),
        ("Connection", "UPGRADE,keep-alive"),
        ("Connection", "keep-alive ,\tUpgrade "), ("Sec-WebSocket-Version", "13"),
    ])
    func validRequestsAreAccepted(name: String, value: String) {
        let request = upgradeRequest(replacing: [name: value])
        #expect(ServerHandshake.validate(request) == .success(sampleAccept))
    }

    @Test func headerNamesAndListsInAnyCaseAndSpread() {
        var headers: HTTPHeaders = [
            "host": "h", "UPGRADE": "websocket", "connection": "keep-alive",
            "Connection": "upgrade",
            "sec-websocket-key": sampleKey, "SEC-WEBSOCKET-VERSION": "13",
        ]
        #expect(
            ServerHandshake.validate(HTTPRequestHead(method: "GET", target: "/", headers: headers))
                == .success(sampleAccept))
        headers.add(name: "Sec-WebSocket-Extensions", value: "permessage-deflate")
        #expect(
            ServerHandshake.validate(HTTPRequestHead(method: "GET", target: "/", headers: headers))
                == .success(sampleAccept))
    }

    @Test(arguments: refusals)
    func invalidRequestsAreRefused(_ refusal: Refusal) {
        guard case .failure(let rejection) = ServerHandshake.validate(refusal.request) else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.status == refusal.status)
        #expect(!rejection.reason.isEmpty)
        switch refusal.status {
        case 405: #expect(rejection.headers["Allow"] == "GET")
        case 426:
            #expect(rejection.headers["Sec-WebSocket-Version"] == "13")
            #expect(rejection.headers.contains("Upgrade", token: "websocket"))
        default: break
        }
    }

    @Test func serverResponseIsExact() {
        let response = ServerHandshake.response(accept: sampleAccept)
        let expected =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(sampleAccept)\r\n\r\n"
        #expect(response.serialized() == Array(expected.utf8))
        let extra = ServerHandshake.response(accept: sampleAccept, extraHeaders: ["X-Room": "7"])
        #expect(extra.headers["X-Room"] == "7")
    }

    // MARK: Client side (§4.1)

    private func verify(_ response: HTTPResponseHead, key: String = sampleKey) -> ClientHandshake
        .Failure?
    {
        switch ClientHandshake(key: key).verify(response) {
        case .success: nil
        case .failure(let failure): failure
        }
    }

    private func response(
        status: Int = 101, replacing: [String: String?] = [:], adding: [(String, String)] = []
    ) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        for (name, value) in [
            ("Upgrade", "websocket"), ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", sampleAccept),
        ] {
            if let replacement = replacing[name] {
                if let replacement { headers.add(name: name, value: replacement) }
            } else {
                headers.add(name: name, value: value)
            }
        }
        for (name, value) in adding { headers.add(name: name, value: value) }
        return HTTPResponseHead(status: status, headers: headers)
    }

    @Test func clientAcceptsTheGoodResponse() {
        #expect(verify(response()) == nil)
        #expect(verify(ServerHandshake.response(accept: sampleAccept)) == nil)
        #expect(
            verify(
                response(replacing: ["Upgrade": "WebSocket", "Connection": "keep-alive, upgrade"]))
                == nil)
    }

    @Test func clientRefusesBadResponses() {
        let wrongAccept = verify(
            response(replacing: ["Sec-WebSocket-Accept": "AAAAAAAAAAAAAAAAAAAAAAAAAAA="]))
        #expect(wrongAccept.map(\.status) == .some(nil))  // a failure, with no HTTP status to report
        #expect(verify(response(replacing: ["Sec-WebSocket-Accept": nil])) != nil)
        #expect(verify(response(), key: "AAAAAAAAAAAAAAAAAAAAAA==") != nil)
        #expect(verify(response(status: 200))?.status == 200)
        #expect(verify(HTTPResponseHead(status: 403))?.status == 403)
        #expect(verify(response(replacing: ["Upgrade": nil])) != nil)
        #expect(verify(response(replacing: ["Upgrade": "h2c"])) != nil)
        #expect(verify(response(replacing: ["Connection": nil])) != nil)
        #expect(
            verify(response(adding: [("Sec-WebSocket-Extensions", "permessage-deflate")])) != nil)
        #expect(verify(response(adding: [("Sec-WebSocket-Protocol", "chat")])) != nil)
    }

    @Test func clientRequestPassesTheServerChecks() {
        var rng = SplitMix64(seed: 7)
        let client = ClientHandshake(key: WebSocketAccept.makeKey(using: &rng))
        let request = client.request(
            host: "127.0.0.1:8080", path: "/v1/rooms/abc?token=x", extraHeaders: ["Origin": "o"])
        #expect(request.path == "/v1/rooms/abc")
        #expect(request.headers["Origin"] == "o")
        guard case .success(let accept) = ServerHandshake.validate(request) else {
            Issue.record("client request refused")
            return
        }
        #expect(verify(ServerHandshake.response(accept: accept), key: client.key) == nil)
        let wire = String(decoding: request.serialized(), as: UTF8.self)
        #expect(wire.hasPrefix("GET /v1/rooms/abc?token=x HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"))
        #expect(wire.hasSuffix("\r\n\r\n"))
    }

    // MARK: Exact (ASCII) comparisons

    /// RFC 6455 §4.1 and §4.2.1 ask for ASCII case-insensitive matches and an
    /// exact accept value. Swift's `String ==` applies Unicode canonical
    /// equivalence (KELVIN SIGN U+212A is equivalent to "K") and `lowercased()`
    /// is Unicode lower-casing, so non-ASCII look-alikes are accepted.
    @Test func acceptValueIsComparedByteForByte() {
        let lookAlike = String(
            sampleAccept.unicodeScalars.map { $0 == "K" ? "\u{212A}" : Character($0) })
        #expect(Array(lookAlike.utf8) != Array(sampleAccept.utf8))
        #expect(verify(response(replacing: ["Sec-WebSocket-Accept": lookAlike])) != nil)
    }

    @Test func upgradeTokenIsMatchedAsASCII() {
        let request = upgradeRequest(replacing: ["Upgrade": "websoc\u{212A}et"])
        if case .success = ServerHandshake.validate(request) {
            Issue.record("Upgrade: websoc\\u{212A}et accepted")
        }
    }
}
