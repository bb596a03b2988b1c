import Testing
import WebSocketCore

/// A frame the peer must not send, and the violation it is failed with.
struct BadFrame: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    var role: WebSocketStateMachine.Role = .server
    var violation: ProtocolViolation
    var code: UInt16 = 1002
    var testDescription: String { name }
}

private let key: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]

let badFrames: [BadFrame] =
    [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF].map { (opcode: UInt8) in
        BadFrame(
            name: "reserved opcode \(opcode)", bytes: rawFrame(0x80 | opcode, payload: [0x61]),
            violation: .reservedOpcode(opcode))
    }
    + [FrameHeader.rsv1, FrameHeader.rsv2, FrameHeader.rsv3].map { bit in
        BadFrame(
            name: "RSV bit \(bit)", bytes: rawFrame(0x81 | bit, payload: [0x61]),
            violation: .reservedBitsSet(bit))
    }
    + [
        BadFrame(
            name: "unmasked client frame", bytes: RFCVectors.helloUnmasked, violation: .maskRequired
        ),
        BadFrame(
            name: "masked server frame", bytes: RFCVectors.helloMasked, role: .client,
            violation: .maskForbidden),
        BadFrame(
            name: "fragmented ping", bytes: rawFrame(0x09, payload: [1, 2]),
            violation: .fragmentedControlFrame),
        BadFrame(
            name: "126-byte ping",
            bytes: rawFrame(0x89, payload: Array(repeating: 0x70, count: 126)),
            violation: .controlFrameTooLong),
        BadFrame(
            name: "126-byte close",
            bytes: rawFrame(0x88, payload: closePayload(1000) + Array(repeating: 0x61, count: 124)),
            violation: .controlFrameTooLong),
        BadFrame(
            name: "16-bit length 125",
            bytes: rawFrame(0x82, payload: Array(repeating: 1, count: 125), lengthBytes: [0, 125]),
            violation: .nonMinimalLength),
        BadFrame(
            name: "64-bit length 0xFFFF",
            bytes: rawFrame(0x82, lengthBytes: [0, 0, 0, 0, 0, 0, 0xFF, 0xFF]),
            violation: .nonMinimalLength),
        BadFrame(
            name: "64-bit length 5",
            bytes: rawFrame(
                0x82, payload: Array(repeating: 1, count: 5), lengthBytes: [0, 0, 0, 0, 0, 0, 0, 5]),
            violation: .nonMinimalLength),
        BadFrame(
            name: "64-bit length top bit",
            bytes: rawFrame(0x82, lengthBytes: [0x80, 0, 0, 0, 0, 0, 0, 1]),
            violation: .lengthMostSignificantBitSet),
        BadFrame(
            name: "continuation without start", bytes: rawFrame(0x80, payload: [0x61]),
            violation: .continuationWithoutStart),
        BadFrame(
            name: "continuation without start after a whole message",
            bytes: clientText("a") + rawFrame(0x80, payload: [0x61]),
            violation: .continuationWithoutStart),
        BadFrame(
            name: "text inside a fragmented message",
            bytes: clientText("Hel", fin: false) + clientText("lo"),
            violation: .newMessageInsideFragmentedMessage),
        BadFrame(
            name: "binary inside a fragmented message",
            bytes: clientText("Hel", fin: false) + clientFrame(.binary, [1], fin: false),
            violation: .newMessageInsideFragmentedMessage),
        BadFrame(
            name: "client: unfinished text then text", bytes: [0x01, 0x01, 0x61, 0x81, 0x01, 0x62],
            role: .client,
            violation: .newMessageInsideFragmentedMessage),
        BadFrame(
            name: "client: reserved opcode", bytes: [0x83, 0x00], role: .client,
            violation: .reservedOpcode(3)),
    ]

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
