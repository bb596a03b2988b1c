import Testing
import WebSocketCore

@testable import SocketTransport

/// A client-role state machine (it reads unmasked server frames) with the zlib inflater.
private struct InflatingMachine {
    var machine: WebSocketStateMachine

    init(
        takeover: Bool = true, role: WebSocketStateMachine.Role = .client,
        limits: WebSocketLimits = WebSocketLimits()
    ) {
        let direction = PerMessageDeflateAgreement.Direction(noContextTakeover: !takeover, windowBits: 15)
        machine = WebSocketStateMachine(role: role, limits: limits, inflater: ZlibMessageInflater(direction))
    }

    mutating func feed(_ bytes: [UInt8], chunk: Int = .max) -> [WebSocketStateMachine.Action] {
        var actions: [WebSocketStateMachine.Action] = []
        var start = 0
        while start < bytes.count {
            var piece = Array(bytes[start..<min(start + chunk, bytes.count)])
            piece.withUnsafeMutableBytes { machine.receive($0, into: &actions) }
            start += piece.count
        }
        return actions
    }
}

private let hello: WebSocketStateMachine.Action = .deliver(.text("Hello"))

/// RFC 7692 §7.2.3 examples through the state machine and the zlib inflater, whole and byte by byte.
@Suite struct DeflateVectorTests {
    @Test(arguments: [Int.max, 1, 2, 3])
    func unfragmentedHello(chunk: Int) {
        var peer = InflatingMachine()
        #expect(peer.feed([0xC1, 0x07, 0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], chunk: chunk) == [hello])
    }

    @Test(arguments: [Int.max, 1])
    func fragmentedHello(chunk: Int) {  // §7.2.3.1
        var peer = InflatingMachine()
        let frames: [UInt8] = [0x41, 0x03, 0xF2, 0x48, 0xCD, 0x80, 0x04, 0xC9, 0xC9, 0x07, 0x00]
        #expect(peer.feed(frames, chunk: chunk) == [hello])
    }

    @Test func sharedWindowSecondMessage() {  // §7.2.3.2
        var peer = InflatingMachine()
        let first: [UInt8] = [0xC1, 0x07, 0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        let second: [UInt8] = [0xC1, 0x05, 0xF2, 0x00, 0x11, 0x00, 0x00]
        #expect(peer.feed(first + second) == [hello, hello])
    }

    @Test func uncompressedBlock() {  // §7.2.3.3
        var peer = InflatingMachine()
        let frame: [UInt8] = [0xC1, 0x0B, 0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00]
        #expect(peer.feed(frame) == [hello])
    }

    @Test func blockWithBFinal() {  // §7.2.3.5: a final block; the next message starts afresh
        var peer = InflatingMachine()
        let frame: [UInt8] = [0xC1, 0x08, 0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00]
        let next: [UInt8] = [0xC1, 0x07, 0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        #expect(peer.feed(frame + next) == [hello, hello])
    }

    @Test func uncompressedMessageBetweenCompressedOnes() {
        var peer = InflatingMachine()
        let plain = FrameEncoder.encode(.binary, payload: [1, 2, 3])
        let compressed: [UInt8] = [0xC1, 0x07, 0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
        #expect(peer.feed(compressed + plain + compressed) == [hello, .deliver(.binary([1, 2, 3])), hello])
    }

    @Test func deflaterProducesTheRFCBytes() throws {
        let deflater = try #require(MessageDeflater(.init(noContextTakeover: false, windowBits: 15)))
        let text = Array("Hello".utf8)
        #expect(text.withUnsafeBytes { deflater.compress($0) } == [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
        #expect(text.withUnsafeBytes { deflater.compress($0) } == [0xF2, 0x00, 0x11, 0x00, 0x00])
        let resetting = try #require(MessageDeflater(.init(noContextTakeover: true, windowBits: 8)))
        for _ in 0..<2 {
            #expect(text.withUnsafeBytes { resetting.compress($0) } == [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00])
        }
    }

    @Test(arguments: [true, false])
    func roundTripsManyMessages(takeover: Bool) throws {
        let deflater = try #require(MessageDeflater(.init(noContextTakeover: !takeover, windowBits: 9)))
        var peer = InflatingMachine(takeover: takeover)
        var seed: UInt64 = 7
        for round in 0..<50 {
            let count = [0, 1, 100, 5_000, 70_000][round % 5]
            let payload = (0..<count).map { index -> UInt8 in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1
                return index % 3 == 0 ? UInt8(truncatingIfNeeded: seed >> 33) : UInt8(index & 0x3F)
            }
            let compressed = payload.withUnsafeBytes { deflater.compress($0) }
            let frame = FrameEncoder.encode(.binary, payload: compressed, reservedBits: FrameHeader.rsv1)
            #expect(peer.feed(frame, chunk: 997) == [.deliver(.binary(payload))])
        }
    }
}

/// RSV1 placement rules and failures of the compressed path (RFC 7692 §6, §8).
@Suite struct DeflateViolationTests {
    private func expectFailure(_ actions: [WebSocketStateMachine.Action], _ violation: ProtocolViolation) {
        #expect(actions.first == .failed(violation))
        #expect(actions.last == .closeConnection(code: violation.closeCode))
    }

    @Test func rsv1OnControlFrameIs1002() {
        var peer = InflatingMachine()
        expectFailure(peer.feed([0xC9, 0x00]), .compressedControlFrame)
        #expect(ProtocolViolation.compressedControlFrame.closeCode == .protocolError)
    }

    @Test func rsv1OnContinuationIs1002() {
        var peer = InflatingMachine()
        let frames: [UInt8] = [0x41, 0x03, 0xF2, 0x48, 0xCD, 0xC0, 0x04, 0xC9, 0xC9, 0x07, 0x00]
        expectFailure(peer.feed(frames), .compressedContinuation)
    }

    @Test func rsv2StaysForbidden() {
        var peer = InflatingMachine()
        expectFailure(peer.feed([0xA1, 0x01, 0x61]), .reservedBitsSet(0x20))
    }

    @Test func corruptDataIs1002() {
        var peer = InflatingMachine()
        expectFailure(peer.feed([0xC1, 0x03, 0xFF, 0xFF, 0xFF]), .invalidCompressedData)
        #expect(ProtocolViolation.invalidCompressedData.closeCode == .protocolError)
    }

    @Test func invalidUTF8AfterInflatingIs1007() throws {
        let deflater = try #require(MessageDeflater(.init(noContextTakeover: false, windowBits: 15)))
        let compressed = [UInt8](repeating: 0xC0, count: 4).withUnsafeBytes { deflater.compress($0) }
        var peer = InflatingMachine()
        expectFailure(
            peer.feed(FrameEncoder.encode(.text, payload: compressed, reservedBits: FrameHeader.rsv1)), .invalidUTF8)
    }

    @Test(arguments: [Int.max, 1000])
    func bombStopsAtTheLimit(chunk: Int) throws {
        let deflater = try #require(MessageDeflater(.init(noContextTakeover: false, windowBits: 15)))
        let zeros = [UInt8](repeating: 0, count: 8 << 20)
        let compressed = zeros.withUnsafeBytes { deflater.compress($0) }
        #expect(compressed.count < 16 << 10)
        let limits = WebSocketLimits(maxFramePayloadLength: 1 << 20, maxMessageLength: 1 << 20)
        var peer = InflatingMachine(limits: limits)
        let frame = FrameEncoder.encode(.binary, payload: compressed, reservedBits: FrameHeader.rsv1)
        expectFailure(peer.feed(frame, chunk: chunk), .messageTooBig)
    }

    @Test func exactlyTheLimitIsDelivered() throws {
        let deflater = try #require(MessageDeflater(.init(noContextTakeover: false, windowBits: 15)))
        let payload = [UInt8](repeating: 7, count: 4096)
        let compressed = payload.withUnsafeBytes { deflater.compress($0) }
        var peer = InflatingMachine(limits: WebSocketLimits(maxFramePayloadLength: 4096, maxMessageLength: 4096))
        let frame = FrameEncoder.encode(.binary, payload: compressed, reservedBits: FrameHeader.rsv1)
        #expect(peer.feed(frame) == [.deliver(.binary(payload))])
    }
}
