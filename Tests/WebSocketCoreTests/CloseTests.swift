import TestSupportCore
import Testing
import WebSocketCore

@Suite struct CloseTests {
    private func peerClose(_ payload: [UInt8]) -> [UInt8] { clientFrame(.close, payload) }

    @Test func emptyCloseIsEchoedEmpty() {
        #expect(
            receiveAllChunkings(peerClose([]))
                == [.sendControlFrame(.close, payload: []), .closeConnection(code: nil)])
        #expect(
            receiveAllChunkings([0x88, 0x00], role: .client)
                == [.sendControlFrame(.close, payload: []), .closeConnection(code: nil)])
    }

    @Test func oneByteCloseIsAProtocolError() {
        expectFailure(
            receiveAllChunkings(peerClose([0x03])), .invalidClosePayloadLength, code: 1002)
    }

    @Test(arguments: validCloseCodes)
    func validCodeIsEchoed(code: UInt16) {
        let expected: [Action] = [
            .sendControlFrame(.close, payload: closePayload(code)),
            .closeConnection(code: CloseCode(code)),
        ]
        #expect(receiveAllChunkings(peerClose(closePayload(code))) == expected)
        // With a reason (up to the 125-byte maximum) the echo carries the same code.
        for reason in [Array("bye".utf8), Array("é€😀".utf8), [UInt8](repeating: 0x7A, count: 123)] {
            let actions = receiveAllChunkings(peerClose(closePayload(code, reason)))
            guard actions.count == 2, case .sendControlFrame(.close, let echo) = actions[0] else {
                Issue.record("unexpected \(actions)")
                continue
            }
            #expect(Array(echo.prefix(2)) == closePayload(code))
            #expect(UTF8Validator.isValid(echo.dropFirst(2)))
            #expect(actions[1] == .closeConnection(code: CloseCode(code)))
        }
    }

    @Test(arguments: invalidCloseCodes)
    func invalidCodeIsAProtocolError(code: UInt16) {
        expectFailure(
            receiveAllChunkings(peerClose(closePayload(code))), .invalidCloseCode(code), code: 1002)
        expectFailure(
            receiveAllChunkings(peerClose(closePayload(code, Array("reason".utf8)))),
            .invalidCloseCode(code), code: 1002)
    }

    @Test(arguments: [
        [UInt8(0xC0), 0xAF], [0xED, 0xA0, 0x80], [0x61, 0xE2, 0x82], [0xFF], [0x80],
    ])
    func validCodeWithInvalidUTF8ReasonIs1007(reason: [UInt8]) {
        expectFailure(
            receiveAllChunkings(peerClose(closePayload(1000, reason))), .invalidCloseReasonUTF8,
            code: 1007)
    }

    @Test func closeCodeValuesRoundTrip() {
        for value in UInt16.min...UInt16.max {
            let code = CloseCode(value)
            if code.value != value { Issue.record("CloseCode(\(value)).value == \(code.value)") }
            let valid =
                (1000...1003).contains(value) || (1007...1014).contains(value)
                || (3000...4999).contains(value)
            if code.isValidOnWire != valid {
                Issue.record("\(value).isValidOnWire == \(code.isValidOnWire)")
            }
        }
        #expect(CloseCode(1000) == .normalClosure)
        #expect(CloseCode(1009) == .messageTooBig)
        #expect(CloseCode(4001) == .unknown(4001))
        #expect(CloseCode.goingAway.description == "1001")
    }

    // MARK: The handshake we start (§7.1.2)

    @Test func closeEmitsTheFrameAndTimerOnce() {
        var harness = Harness(role: .server)
        #expect(harness.machine.canSendMessages)
        #expect(
            harness.close(code: .goingAway, reason: "bye")
                == [
                    .sendControlFrame(.close, payload: closePayload(1001, Array("bye".utf8))),
                    .startClosingTimer,
                ])
        #expect(!harness.machine.canSendMessages)
        #expect(!harness.machine.isClosed)
        #expect(harness.close(code: .normalClosure) == [])
        #expect(harness.close(code: nil) == [])
    }

    @Test func closeWithoutCodeSendsAnEmptyPayload() {
        var harness = Harness(role: .client)
        #expect(
            harness.close(code: nil) == [
                .sendControlFrame(.close, payload: []), .startClosingTimer,
            ])
    }

    @Test func peerCloseAfterOursClosesWithoutASecondFrame() {
        for reply in [closePayload(1000), [], closePayload(1001, Array("ok".utf8))] {
            var harness = Harness(role: .server)
            _ = harness.close(code: .normalClosure)
            let actions = harness.feed(peerClose(reply))
            #expect(actions == [.closeConnection(code: .normalClosure)], "reply \(reply)")
            #expect(harness.machine.isClosed)
            #expect(harness.feed(clientText("late")) == [])
        }
    }

    @Test func peerCloseAfterOursUnderEveryChunking() {
        let bytes = peerClose(closePayload(1000))
        for (name, sizes) in chunkings(count: bytes.count) {
            var harness = Harness(role: .server)
            _ = harness.close(code: .normalClosure)
            #expect(
                harness.feed(bytes, sizes: sizes) == [.closeConnection(code: .normalClosure)],
                "\(name)")
        }
    }

    @Test func dataAfterOurCloseIsDiscarded() {
        var harness = Harness(role: .server)
        _ = harness.close(code: .normalClosure)
        #expect(harness.feed(clientText("still talking")) == [])
        #expect(
            harness.feed(clientFrame(.binary, [1], fin: false) + clientFrame(.continuation, [2]))
                == [])
        #expect(
            harness.feed(peerClose(closePayload(1000))) == [.closeConnection(code: .normalClosure)])
    }

    /// §5.5.2: "an endpoint MUST send a Pong frame in response, unless it already
    /// received a Close frame". Having only *sent* one is no exemption, and a
    /// pong is a control frame, which §5.5.1 still allows after our close.
    @Test func pingAfterOurCloseIsStillAnswered() {
        var harness = Harness(role: .server)
        _ = harness.close(code: .goingAway)
        #expect(
            harness.feed(clientFrame(.ping, [1, 2])) == [
                .sendControlFrame(.pong, payload: [1, 2])
            ])
        // Once the peer's close has arrived, nothing more is read at all.
        _ = harness.feed(peerClose(closePayload(1000)))
        #expect(harness.feed(clientFrame(.ping, [3])) == [])
    }

    @Test func violationAfterOurCloseSendsNoSecondCloseFrame() {
        var harness = Harness(role: .server)
        _ = harness.close(code: .normalClosure)
        #expect(
            harness.feed(RFCVectors.helloUnmasked)
                == [.failed(.maskRequired), .closeConnection(code: .protocolError)])
    }

    // MARK: After the peer's close

    @Test func dataAfterThePeersCloseIsIgnored() {
        let bytes =
            peerClose(closePayload(1000)) + clientText("late") + clientFrame(.ping, [1]) + [
                0xFF, 0xFF,
            ]
        #expect(
            receiveAllChunkings(bytes) == [
                .sendControlFrame(.close, payload: closePayload(1000)),
                .closeConnection(code: .normalClosure),
            ])
        var harness = Harness(role: .server)
        _ = harness.feed(peerClose([]))
        #expect(harness.machine.isClosed)
        #expect(!harness.machine.canSendMessages)
        #expect(harness.feed(clientText("later")) == [])
        #expect(harness.close(code: .normalClosure) == [])
    }

    @Test func messagesBeforeTheCloseAreDelivered() {
        let bytes = clientText("last words") + peerClose(closePayload(1001))
        #expect(
            receiveAllChunkings(bytes) == [
                .deliver(.text("last words")),
                .sendControlFrame(.close, payload: closePayload(1001)),
                .closeConnection(code: .goingAway),
            ])
    }
}

@Suite struct PeerCloseReasonTests {
    @Test func reasonOfThePeersCloseIsKept() {
        var machine = WebSocketStateMachine(role: .server)
        var frame = FrameEncoder.close(code: CloseCode(4000), reason: "room_full", maskingKey: MaskingKey(1, 2, 3, 4))
        var actions: [WebSocketStateMachine.Action] = []
        frame.withUnsafeMutableBytes { machine.receive($0, into: &actions) }
        #expect(machine.peerCloseReason == "room_full")
        #expect(actions.last == .closeConnection(code: CloseCode(4000)))
    }
}
