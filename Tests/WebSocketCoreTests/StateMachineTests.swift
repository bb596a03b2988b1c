import TestSupportCore
import Testing
import WebSocketCore

extension BadFrame: CustomTestStringConvertible {
    public var testDescription: String { name }
}

@Suite struct StateMachineTests {
    // MARK: RFC 6455 §5.7

    @Test func unmaskedHelloAsClient() {
        #expect(
            receiveAllChunkings(RFCVectors.helloUnmasked, role: .client) == [
                .deliver(.text("Hello"))
            ])
    }

    @Test func maskedHelloAsServer() {
        #expect(
            receiveAllChunkings(RFCVectors.helloMasked, role: .server) == [.deliver(.text("Hello"))]
        )
    }

    @Test func fragmentedHelloAsClient() {
        let bytes = RFCVectors.helFragment + RFCVectors.loFragment
        #expect(receiveAllChunkings(bytes, role: .client) == [.deliver(.text("Hello"))])
    }

    @Test func pingAnsweredAndMaskedPongIgnored() {
        #expect(
            receiveAllChunkings(RFCVectors.pingHello, role: .client)
                == [.sendControlFrame(.pong, payload: RFCVectors.hello)])
        #expect(receiveAllChunkings(RFCVectors.pongHelloMasked, role: .server) == [])
    }

    @Test func binary256And64KAsClient() {
        #expect(
            receiveAllChunkings(RFCVectors.binary256, role: .client)
                == [.deliver(.binary(RFCVectors.payload256))])
        #expect(
            receiveAllChunkings(RFCVectors.binary64K, role: .client)
                == [.deliver(.binary(RFCVectors.payload64K))])
    }

    @Test func emptyMessages() {
        let bytes =
            clientText("") + clientFrame(.binary, []) + clientText("", fin: false)
            + clientFrame(.continuation, [])
        #expect(
            receiveAllChunkings(bytes) == [
                .deliver(.text("")), .deliver(.binary([])), .deliver(.text("")),
            ])
    }

    @Test func severalMessagesInOneRead() {
        let bytes = clientText("one") + clientFrame(.binary, [2]) + clientText("three")
        #expect(
            receiveAllChunkings(bytes)
                == [.deliver(.text("one")), .deliver(.binary([2])), .deliver(.text("three"))])
    }

    // MARK: Fragmentation

    @Test func controlFramesInsideAFragmentedMessage() {
        let bytes =
            clientText("Hel", fin: false) + clientFrame(.ping, [1, 2, 3])
            + clientFrame(.continuation, [0x6C], fin: false)
            + clientFrame(.pong, [9]) + clientFrame(.ping, []) + clientFrame(.continuation, [0x6F])
        #expect(
            receiveAllChunkings(bytes) == [
                .sendControlFrame(.pong, payload: [1, 2, 3]), .sendControlFrame(.pong, payload: []),
                .deliver(.text("Hello")),
            ])
        // The pong goes out as soon as the ping is read, before the message completes.
        var harness = Harness(role: .server)
        #expect(harness.feed(clientText("Hel", fin: false)) == [])
        #expect(harness.feed(clientFrame(.ping, [7])) == [.sendControlFrame(.pong, payload: [7])])
        #expect(
            harness.feed(clientFrame(.continuation, Array("lo".utf8))) == [.deliver(.text("Hello"))]
        )
    }

    @Test func closeInsideAFragmentedMessageDropsTheMessage() {
        let bytes =
            clientText("Hel", fin: false) + clientFrame(.close, closePayload(1000))
            + clientFrame(.continuation, [0x6F])
        #expect(
            receiveAllChunkings(bytes) == [
                .sendControlFrame(.close, payload: closePayload(1000)),
                .closeConnection(code: .normalClosure),
            ])
    }

    @Test func fragmentedBinaryWithEmptyFragments() {
        let bytes =
            clientFrame(.binary, [], fin: false) + clientFrame(.continuation, [1, 2], fin: false)
            + clientFrame(.continuation, [], fin: false) + clientFrame(.continuation, [3])
        #expect(receiveAllChunkings(bytes) == [.deliver(.binary([1, 2, 3]))])
    }

    // MARK: Violations

    @Test(arguments: badFrames)
    func badFrameFailsTheConnection(_ bad: BadFrame) {
        let actions = receiveAllChunkings(bad.bytes, role: bad.role)
        expectFailure(actions, bad.violation, code: bad.code)
        #expect(actions.count == 3 + (bad.name.contains("after a whole message") ? 1 : 0))
    }

    @Test(arguments: badFrames)
    func nothingIsReadAfterAFailure(_ bad: BadFrame) {
        var harness = Harness(role: bad.role)
        _ = harness.feed(bad.bytes)
        #expect(harness.machine.isClosed)
        #expect(!harness.machine.canSendMessages)
        let more = bad.role == .server ? clientFrame(.ping, [1]) : [0x89, 0x01, 0x01]
        #expect(harness.feed(more) == [])
        #expect(harness.close(code: .normalClosure) == [])
    }

    @Test func violationsCarryTheirCloseCodes() {
        let table: [(ProtocolViolation, UInt16)] = [
            (.reservedOpcode(3), 1002), (.reservedBitsSet(0x40), 1002), (.maskRequired, 1002),
            (.maskForbidden, 1002), (.fragmentedControlFrame, 1002), (.controlFrameTooLong, 1002),
            (.nonMinimalLength, 1002), (.lengthMostSignificantBitSet, 1002), (.frameTooBig, 1009),
            (.messageTooBig, 1009), (.continuationWithoutStart, 1002),
            (.newMessageInsideFragmentedMessage, 1002), (.invalidUTF8, 1007),
            (.invalidClosePayloadLength, 1002), (.invalidCloseCode(1005), 1002),
            (.invalidCloseReasonUTF8, 1007),
        ]
        for (violation, code) in table {
            #expect(violation.closeCode.value == code, "\(violation)")
            #expect(!violation.description.isEmpty && violation.description.utf8.count <= 123)
        }
    }

    // MARK: Ping and pong (§5.5.2, §5.5.3)

    @Test(arguments: [0, 1, 5, 124, 125])
    func pingIsAnsweredWithTheSamePayload(count: Int) {
        let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(
            receiveAllChunkings(clientFrame(.ping, payload)) == [
                .sendControlFrame(.pong, payload: payload)
            ])
        let unmasked = FrameEncoder.encode(.ping, payload: payload)
        #expect(
            receiveAllChunkings(unmasked, role: .client) == [
                .sendControlFrame(.pong, payload: payload)
            ])
    }

    @Test func unsolicitedPongNeedsNoAnswer() {
        #expect(receiveAllChunkings(clientFrame(.pong, [1, 2, 3])) == [])
        #expect(receiveAllChunkings(clientFrame(.pong, [])) == [])
        #expect(receiveAllChunkings(FrameEncoder.encode(.pong, payload: [4]), role: .client) == [])
    }

    @Test func manyPingsEachAnswered() {
        let bytes = (0..<20).flatMap { clientFrame(.ping, [UInt8($0)]) }
        #expect(
            receiveAllChunkings(bytes)
                == (0..<20).map { .sendControlFrame(.pong, payload: [UInt8($0)]) })
    }

    @Test func allowedReservedBitsPassThroughTheMachine() {
        var harness = Harness(role: .server)
        harness.machine.allowedReservedBits = FrameHeader.rsv1
        #expect(harness.machine.allowedReservedBits == FrameHeader.rsv1)
        // The parser lets RSV1 through; without an inflater (no permessage-deflate)
        // the machine still refuses it: a compressed payload must not pass as data.
        expectFailure(
            harness.feed(rawFrame(0x81 | FrameHeader.rsv1, payload: [0x61])),
            .reservedBitsSet(FrameHeader.rsv1), code: 1002)
        harness = Harness(role: .server)
        harness.machine.allowedReservedBits = FrameHeader.rsv1
        expectFailure(
            harness.feed(rawFrame(0x81 | FrameHeader.rsv2, payload: [0x61])),
            .reservedBitsSet(0x20), code: 1002)
    }
}
