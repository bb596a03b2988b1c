import Testing

@testable import WebSocketCore

/// `Sec-WebSocket-Protocol` (RFC 6455 §1.9, §4.1, §4.2.2): what a request offers,
/// what a server picks, what a client accepts.
@Suite("Subprotocol negotiation")
struct SubprotocolTests {
    private func fails<Value, Failure>(_ result: Result<Value, Failure>) -> Bool {
        if case .failure = result { return true }
        return false
    }

    private func request(_ fields: [String]) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for value in fields { headers.add(name: "Sec-WebSocket-Protocol", value: value) }
        return headers
    }

    @Test func theServerPicksItsPreferredOfTheOffered() {
        let supported = ["iop.v2"]
        let vectors: [([String], String?)] = [
            (["iop.v2"], "iop.v2"),
            (["foo, iop.v2"], "iop.v2"),
            (["iop.v2, foo"], "iop.v2"),
            (["foo", "iop.v2"], "iop.v2"),  // two fields: one list (RFC 9110 §5.3)
            ([" foo ,, iop.v2 "], "iop.v2"),
            (["foo"], nil),
            (["IOP.V2"], nil),  // names are compared exactly
            (["iop.v22", "iop"], nil),
            ([""], nil),
            ([], nil),
        ]
        for (fields, chosen) in vectors {
            #expect(Subprotocol.select(from: request(fields), supported: supported) == chosen, "\(fields)")
        }
        #expect(Subprotocol.offered(in: request(["a, b", "c"])) == ["a", "b", "c"])
        #expect(Subprotocol.select(from: request(["b, a"]), supported: ["a", "b"]) == "a", "the server's order")
    }

    @Test func theClientAcceptsOnlyOneOfferedName() {
        var none = HTTPHeaders()
        #expect(Subprotocol.chosen(in: none, offered: ["iop.v2"]) == .success(nil))
        #expect(Subprotocol.chosen(in: none, offered: []) == .success(nil))
        none.add(name: "Sec-WebSocket-Protocol", value: "iop.v2")
        #expect(Subprotocol.chosen(in: none, offered: ["foo", "iop.v2"]) == .success("iop.v2"))
        #expect(fails(Subprotocol.chosen(in: none, offered: [])))
        #expect(fails(Subprotocol.chosen(in: none, offered: ["foo"])))
        #expect(fails(Subprotocol.chosen(in: request(["iop.v2, foo"]), offered: ["iop.v2", "foo"])))
        #expect(fails(Subprotocol.chosen(in: request(["iop.v2", "foo"]), offered: ["iop.v2", "foo"])))
        #expect(Subprotocol.offer(["foo", "iop.v2"])?.value == "foo, iop.v2")
        #expect(Subprotocol.offer([]) == nil)
    }

    @Test func theHandshakeChecksTheChoiceAgainstTheOffer() {
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        var headers: HTTPHeaders = [
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": WebSocketAccept.value(forKey: key),
        ]
        headers.add(name: "Sec-WebSocket-Protocol", value: "iop.v2")
        let response = HTTPResponseHead(status: 101, headers: headers)
        let handshake = ClientHandshake(key: key)
        #expect(!fails(handshake.verify(response, offering: nil, subprotocols: ["iop.v2"])))
        #expect(fails(handshake.verify(response, offering: nil)), "not offered: the handshake fails")
    }
}
