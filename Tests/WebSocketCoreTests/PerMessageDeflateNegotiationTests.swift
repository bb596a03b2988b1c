import TestSupportCore
import Testing
import WebSocketCore

/// One server-side negotiation: the request's header values, the server's
/// configuration, and the response header expected (nil: declined).
struct OfferCase: Sendable, CustomTestStringConvertible {
    var name: String
    var offers: [String]
    var configuration = PerMessageDeflateConfiguration()
    var response: String?
    var testDescription: String { name }
}

let offerCases: [OfferCase] = [
    OfferCase(name: "no header", offers: [], response: nil),
    OfferCase(name: "plain offer", offers: ["permessage-deflate"], response: "permessage-deflate"),
    OfferCase(
        name: "name is case-insensitive", offers: ["PerMessage-Deflate; Client_Max_Window_Bits"],
        response: "permessage-deflate"),
    OfferCase(
        name: "value-less client_max_window_bits", offers: ["permessage-deflate; client_max_window_bits"],
        response: "permessage-deflate"),
    OfferCase(
        name: "client window hint is echoed", offers: ["permessage-deflate; client_max_window_bits=10"],
        response: "permessage-deflate; client_max_window_bits=10"),
    OfferCase(
        name: "server window is accepted", offers: ["permessage-deflate; server_max_window_bits=8"],
        response: "permessage-deflate; server_max_window_bits=8"),
    OfferCase(
        name: "quoted value", offers: ["permessage-deflate; server_max_window_bits=\"12\""],
        response: "permessage-deflate; server_max_window_bits=12"),
    OfferCase(
        name: "both no-context-takeover flags",
        offers: ["permessage-deflate;server_no_context_takeover ; client_no_context_takeover"],
        response: "permessage-deflate; server_no_context_takeover; client_no_context_takeover"),
    OfferCase(
        name: "unknown extension first, then ours", offers: ["x-webkit-deflate-frame, permessage-deflate"],
        response: "permessage-deflate"),
    OfferCase(
        name: "first offer invalid (unknown parameter), second taken",
        offers: ["permessage-deflate; foo=1, permessage-deflate; server_no_context_takeover"],
        response: "permessage-deflate; server_no_context_takeover"),
    OfferCase(
        name: "offers spread over two header fields",
        offers: ["permessage-deflate; server_max_window_bits=7", "permessage-deflate; client_max_window_bits"],
        response: "permessage-deflate"),
    OfferCase(
        name: "duplicate parameter declines the offer",
        offers: ["permessage-deflate; server_max_window_bits=10; server_max_window_bits=11"], response: nil),
    OfferCase(
        name: "duplicate flag declines the offer",
        offers: ["permessage-deflate; client_no_context_takeover; client_no_context_takeover"], response: nil),
    OfferCase(
        name: "window 16 is declined", offers: ["permessage-deflate; server_max_window_bits=16"], response: nil),
    OfferCase(
        name: "window 7 is declined", offers: ["permessage-deflate; client_max_window_bits=7"], response: nil),
    OfferCase(
        name: "leading zero is declined", offers: ["permessage-deflate; server_max_window_bits=010"], response: nil),
    OfferCase(
        name: "server window without value is declined", offers: ["permessage-deflate; server_max_window_bits"],
        response: nil),
    OfferCase(
        name: "flag with a value is declined", offers: ["permessage-deflate; server_no_context_takeover=1"],
        response: nil),
    OfferCase(name: "unterminated quote", offers: ["permessage-deflate; server_max_window_bits=\"10"], response: nil),
    OfferCase(name: "empty quoted value", offers: ["permessage-deflate; server_max_window_bits=\"\""], response: nil),
    OfferCase(name: "garbage separator", offers: ["permessage-deflate / x"], response: nil),
    OfferCase(name: "dangling semicolon", offers: ["permessage-deflate;"], response: nil),
    OfferCase(
        name: "empty list elements are allowed", offers: [" , permessage-deflate ,"], response: "permessage-deflate"),
    OfferCase(
        name: "server's own limits are added",
        offers: ["permessage-deflate; client_max_window_bits"],
        configuration: PerMessageDeflateConfiguration(
            serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 11,
            clientMaxWindowBits: 12),
        response:
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=11; client_max_window_bits=12"
    ),
    OfferCase(
        name: "a smaller client window needs the client's consent", offers: ["permessage-deflate"],
        configuration: PerMessageDeflateConfiguration(clientMaxWindowBits: 10), response: nil),
    OfferCase(
        name: "the smaller of offered and configured server windows",
        offers: ["permessage-deflate; server_max_window_bits=12"],
        configuration: PerMessageDeflateConfiguration(serverMaxWindowBits: 9),
        response: "permessage-deflate; server_max_window_bits=9"),
]

/// The server side of RFC 7692 §7.1.
@Suite struct ServerNegotiationTests {
    @Test(arguments: offerCases)
    func negotiates(_ example: OfferCase) {
        let result = example.configuration.negotiate(offers: example.offers)
        #expect(result?.responseHeader == example.response)
    }

    @Test func agreementSaysWhoCompressesHow() throws {
        let configuration = PerMessageDeflateConfiguration()
        let offer = ["permessage-deflate; client_no_context_takeover; server_max_window_bits=10"]
        let agreement = try #require(configuration.negotiate(offers: offer)).agreement
        #expect(agreement.sending(as: .server) == .init(noContextTakeover: false, windowBits: 10))
        #expect(agreement.receiving(as: .server) == .init(noContextTakeover: true, windowBits: 15))
        #expect(agreement.sending(as: .client) == agreement.receiving(as: .server))
    }

    @Test func parserKeepsParametersInOrderAndUnquotes() throws {
        let parsed = try #require(
            WebSocketExtension.parse(["foo; a=1; b=\"x\\yz\"", "bar ;c"]))
        #expect(
            parsed == [
                WebSocketExtension(
                    name: "foo", parameters: [.init(name: "a", value: "1"), .init(name: "b", value: "xyz")]),
                WebSocketExtension(name: "bar", parameters: [.init(name: "c")]),
            ])
        #expect(WebSocketExtension.parse(["a; b=\"c d\""]) == nil)  // quoted value must be a token
        #expect(WebSocketExtension.parse(["a=b"]) == nil)
        #expect(WebSocketExtension.parse(["é"]) == nil)
    }
}

/// One answer a client may get to its offer, and whether it is acceptable.
struct AnswerCase: Sendable, CustomTestStringConvertible {
    var name: String
    var response: [String]
    var configuration = PerMessageDeflateConfiguration()
    var agreement: PerMessageDeflateAgreement??  // .none: a failure is expected
    var testDescription: String { name }
}

let answerCases: [AnswerCase] = [
    AnswerCase(name: "declined", response: [], agreement: .some(nil)),
    AnswerCase(name: "plain acceptance", response: ["permessage-deflate"], agreement: PerMessageDeflateAgreement()),
    AnswerCase(
        name: "server limits our window", response: ["permessage-deflate; client_max_window_bits=9"],
        agreement: PerMessageDeflateAgreement(clientMaxWindowBits: 9)),
    AnswerCase(
        name: "server announces its window and no takeover",
        response: ["permessage-deflate; server_no_context_takeover; server_max_window_bits=10"],
        agreement: PerMessageDeflateAgreement(serverNoContextTakeover: true, serverMaxWindowBits: 10)),
    AnswerCase(
        name: "server asks us not to take over context", response: ["permessage-deflate; client_no_context_takeover"],
        agreement: PerMessageDeflateAgreement(clientNoContextTakeover: true)),
    AnswerCase(name: "another extension", response: ["x-other"], agreement: nil),
    AnswerCase(name: "two elements", response: ["permessage-deflate, permessage-deflate"], agreement: nil),
    AnswerCase(name: "unknown parameter", response: ["permessage-deflate; foo"], agreement: nil),
    AnswerCase(
        name: "value-less client_max_window_bits in a response",
        response: ["permessage-deflate; client_max_window_bits"], agreement: nil),
    AnswerCase(
        name: "window out of range", response: ["permessage-deflate; server_max_window_bits=16"], agreement: nil),
    AnswerCase(name: "malformed", response: ["permessage-deflate;;"], agreement: nil),
    AnswerCase(
        name: "server window above what we offered", response: ["permessage-deflate; server_max_window_bits=12"],
        configuration: PerMessageDeflateConfiguration(serverMaxWindowBits: 10), agreement: nil),
    AnswerCase(
        name: "server ignored our server window", response: ["permessage-deflate"],
        configuration: PerMessageDeflateConfiguration(serverMaxWindowBits: 10), agreement: nil),
    AnswerCase(
        name: "client window above what we offered", response: ["permessage-deflate; client_max_window_bits=12"],
        configuration: PerMessageDeflateConfiguration(clientMaxWindowBits: 10), agreement: nil),
    AnswerCase(
        name: "server ignored our server_no_context_takeover", response: ["permessage-deflate"],
        configuration: PerMessageDeflateConfiguration(serverNoContextTakeover: true), agreement: nil),
]

/// The client side of RFC 7692 §7.1: the offer, and what answers fail the connection.
@Suite struct ClientNegotiationTests {
    @Test(arguments: answerCases)
    func validatesAnswer(_ example: AnswerCase) {
        let result = example.configuration.validate(response: example.response)
        switch (result, example.agreement) {
        case (.success(let agreement), .some(let expected)):
            #expect(agreement == expected)
        case (.failure, .none):
            break
        default:
            Issue.record("\(example.name): got \(result), expected \(String(describing: example.agreement))")
        }
    }

    @Test func offers() {
        #expect(PerMessageDeflateConfiguration().offerHeader == "permessage-deflate; client_max_window_bits")
        let strict = PerMessageDeflateConfiguration(
            serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 10,
            clientMaxWindowBits: 9)
        #expect(
            strict.offerHeader
                == "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10; client_max_window_bits=9"
        )
        // Our own server accepts our own offer with the same parameters.
        let accepted = strict.negotiate(offers: [strict.offerHeader])
        #expect(accepted?.responseHeader == strict.offerHeader)
        let agreement = accepted.map { strict.validate(response: [$0.responseHeader]) }
        #expect((try? agreement?.get()) == accepted?.agreement)
    }

    @Test func handshakeRefusesUnofferedExtension() {
        let handshake = ClientHandshake(key: "dGhlIHNhbXBsZSBub25jZQ==")
        let response = HTTPResponseHead(
            status: 101,
            headers: [
                "Upgrade": "websocket", "Connection": "Upgrade",
                "Sec-WebSocket-Accept": "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                "Sec-WebSocket-Extensions": "permessage-deflate",
            ])
        #expect(throws: ClientHandshake.Failure.self) { try handshake.verify(response).get() }
        let agreed = handshake.verify(response, offering: PerMessageDeflateConfiguration())
        #expect((try? agreed.get()) == PerMessageDeflateAgreement())
    }
}

/// RSV1 without a negotiated extension stays a protocol error (RFC 6455 §5.2).
@Suite struct CompressedBitWithoutExtensionTests {
    @Test func rsv1WithoutInflaterFails() {
        var harness = Harness(role: .server)
        harness.machine.allowedReservedBits = FrameHeader.rsv1
        let actions = harness.feed(rawFrame(0xC1, payload: [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]))
        expectFailure(actions, .reservedBitsSet(FrameHeader.rsv1), code: 1002)
    }
}
