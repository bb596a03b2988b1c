import TestSupportCore
import Testing
import WebSocketCore

@Suite struct FrameParserTests {
    @Test func unmaskedHelloAsClientReadsIt() {
        let outcome = parseAllChunkings(RFCVectors.helloUnmasked, expectsMasked: false)
        #expect(outcome.error == nil)
        #expect(
            outcome.frames == [
                ParsedFrame(
                    header: FrameHeader(
                        fin: true, opcode: .text, maskingKey: nil, payloadLength: 5),
                    payload: RFCVectors.hello)
            ])
    }

    @Test func maskedHelloAsServerReadsIt() {
        let outcome = parseAllChunkings(RFCVectors.helloMasked, expectsMasked: true)
        #expect(outcome.error == nil)
        #expect(
            outcome.frames == [
                ParsedFrame(
                    header: FrameHeader(
                        fin: true, opcode: .text, maskingKey: RFCVectors.helloKey, payloadLength: 5),
                    payload: RFCVectors.hello)
            ])
    }

    @Test func fragmentedUnmaskedHello() {
        let outcome = parseAllChunkings(
            RFCVectors.helFragment + RFCVectors.loFragment, expectsMasked: false)
        #expect(outcome.error == nil)
        #expect(outcome.frames.map(\.header.fin) == [false, true])
        #expect(outcome.frames.map(\.header.opcode) == [.text, .continuation])
        #expect(outcome.frames.map(\.payload) == [Array("Hel".utf8), Array("lo".utf8)])
    }

    @Test func pingAndMaskedPong() {
        let ping = parseAllChunkings(RFCVectors.pingHello, expectsMasked: false)
        #expect(ping.frames.map(\.header.opcode) == [.ping])
        #expect(ping.frames.map(\.payload) == [RFCVectors.hello])
        let pong = parseAllChunkings(RFCVectors.pongHelloMasked, expectsMasked: true)
        #expect(pong.frames.map(\.header.opcode) == [.pong])
        #expect(pong.frames.map(\.payload) == [RFCVectors.hello])
    }

    @Test func binary256And64K() {
        let small = parseAllChunkings(RFCVectors.binary256, expectsMasked: false)
        #expect(small.error == nil)
        #expect(small.frames.map(\.header.payloadLength) == [256])
        #expect(small.frames.first?.payload == RFCVectors.payload256)
        let large = parseAllChunkings(RFCVectors.binary64K, expectsMasked: false)
        #expect(large.error == nil)
        #expect(large.frames.map(\.header.payloadLength) == [65536])
        #expect(large.frames.first?.payload == RFCVectors.payload64K)
    }

    @Test func emptyFramesBackToBack() {
        let bytes: [UInt8] = [0x81, 0x00, 0x82, 0x00, 0x89, 0x00, 0x8A, 0x00, 0x88, 0x00]
        let outcome = parseAllChunkings(bytes, expectsMasked: false)
        #expect(outcome.error == nil)
        #expect(outcome.frames.map(\.header.opcode) == [.text, .binary, .ping, .pong, .close])
        #expect(outcome.frames.allSatisfy { $0.payload.isEmpty })
    }

    // MARK: Encoder

    @Test func encoderProducesTheRFCBytes() {
        #expect(FrameEncoder.text("Hello") == RFCVectors.helloUnmasked)
        #expect(
            FrameEncoder.text("Hello", maskingKey: RFCVectors.helloKey) == RFCVectors.helloMasked)
        #expect(
            FrameEncoder.encode(.text, payload: Array("Hel".utf8), fin: false)
                == RFCVectors.helFragment)
        #expect(
            FrameEncoder.encode(.continuation, payload: Array("lo".utf8)) == RFCVectors.loFragment)
        #expect(FrameEncoder.encode(.ping, payload: RFCVectors.hello) == RFCVectors.pingHello)
        #expect(
            FrameEncoder.encode(.pong, payload: RFCVectors.hello, maskingKey: RFCVectors.helloKey)
                == RFCVectors.pongHelloMasked)
        #expect(
            FrameEncoder.encode(.binary, payload: RFCVectors.payload256) == RFCVectors.binary256)
        #expect(
            FrameEncoder.encode(.binary, payload: RFCVectors.payload64K) == RFCVectors.binary64K)
    }

    @Test(arguments: [
        (0, 2), (1, 3), (125, 127), (126, 130), (127, 131), (65535, 65539), (65536, 65546),
        (70000, 70010),
    ])
    func encoderUsesTheMinimalLengthForm(count: Int, unmaskedSize: Int) throws {
        let payload = (0..<count).map { UInt8(truncatingIfNeeded: $0) }
        let frame = FrameEncoder.encode(.binary, payload: payload)
        #expect(frame.count == unmaskedSize)
        #expect(
            FrameEncoder.headerLength(payloadCount: count, masked: false) == unmaskedSize - count)
        let key = MaskingKey(0xDE, 0xAD, 0xBE, 0xEF)
        let masked = FrameEncoder.encode(.binary, payload: payload, maskingKey: key)
        #expect(masked.count == unmaskedSize + 4)
        #expect(
            FrameEncoder.headerLength(payloadCount: count, masked: true) == unmaskedSize - count + 4
        )
        let outcome = parse(masked, expectsMasked: true)
        #expect(outcome.error == nil)
        #expect(
            outcome.frames == [
                ParsedFrame(
                    header: FrameHeader(
                        fin: true, opcode: .binary, maskingKey: key, payloadLength: count),
                    payload: payload)
            ])
        #expect(parse(frame, expectsMasked: false).frames.first?.payload == payload)
    }

    @Test func encoderWritesReservedBitsAndFin() {
        let frame = FrameEncoder.encode(
            .binary, payload: [UInt8](), fin: false, reservedBits: FrameHeader.rsv1)
        #expect(frame == [0x42, 0x00])
    }

    @Test func closeFrameEncoding() {
        #expect(FrameEncoder.close(code: nil) == [0x88, 0x00])
        #expect(
            FrameEncoder.close(code: .normalClosure, reason: "bye") == [
                0x88, 0x05, 0x03, 0xE8, 0x62, 0x79, 0x65,
            ])
        #expect(FrameEncoder.closePayload(code: .unknown(4321), reason: "") == [0x10, 0xE1])
    }

    @Test(arguments: ["é", "€", "😀", "👩‍👩‍👧", "a"])
    func closeReasonIsTrimmedOnACharacterBoundary(unit: String) {
        let reason = String(repeating: unit, count: 200)
        let payload = FrameEncoder.closePayload(code: .goingAway, reason: reason)
        #expect(payload.count <= 125)
        #expect(payload.count > 125 - unit.utf8.count - 1)
        #expect(Array(payload.prefix(2)) == [0x03, 0xE9])
        let text = String(decoding: payload.dropFirst(2), as: UTF8.self)
        #expect(UTF8Validator.isValid(payload.dropFirst(2)))
        #expect(text.allSatisfy { String($0) == unit })
    }

    // MARK: Header checks, at the parser

    @Test func headerFieldsAreReportedBeforeAnyPayload() {
        // Only the header of a 1000-byte masked binary frame.
        let header = Array(rawFrame(0x02, payload: [UInt8](repeating: 0, count: 1000)).prefix(8))
        let outcome = parse(header, expectsMasked: true)
        #expect(outcome.error == nil)
        #expect(outcome.frames.isEmpty)
        var parser = FrameParser(expectsMaskedFrames: true, maxFramePayloadLength: 1 << 20)
        var copy = header
        copy.withUnsafeMutableBytes { buffer in
            var input = buffer
            guard case .frameStart(let frame)? = try? parser.next(&input) else {
                Issue.record("no frameStart")
                return
            }
            #expect(
                frame
                    == FrameHeader(
                        fin: false, opcode: .binary, maskingKey: MaskingKey(0x37, 0xFA, 0x21, 0x3D),
                        payloadLength: 1000))
            #expect(input.isEmpty)
            do {
                let event = try parser.next(&input)
                #expect(event == nil)  // the payload has not arrived
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test(arguments: [UInt8(0x3), 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF])
    func reservedOpcodeIsRefused(opcode: UInt8) {
        let outcome = parseAllChunkings(
            rawFrame(0x80 | opcode, payload: [1, 2]), expectsMasked: true)
        #expect(outcome.error == .reservedOpcode(opcode))
        #expect(outcome.bytesFedAtError == 8)
        // Fail fast: the first two bytes are enough.
        #expect(
            parse(rawFrame(0x80 | opcode), expectsMasked: true, sizes: [2, 4]).bytesFedAtError == 2)
    }

    @Test(arguments: [FrameHeader.rsv1, FrameHeader.rsv2, FrameHeader.rsv3, 0x70])
    func reservedBitsAreRefusedUnlessAllowed(bits: UInt8) {
        let frame = rawFrame(0x81 | bits, payload: RFCVectors.hello)
        #expect(parseAllChunkings(frame, expectsMasked: true).error == .reservedBitsSet(bits))
        var parser = FrameParser(expectsMaskedFrames: true, maxFramePayloadLength: 100)
        parser.allowedReservedBits = bits
        var copy = frame
        copy.withUnsafeMutableBytes { buffer in
            var input = buffer
            if case .frameStart(let header)? = try? parser.next(&input) {
                #expect(header.reservedBits == bits)
            } else {
                Issue.record("allowed reserved bits were refused")
            }
        }
    }

    @Test func maskRules() {
        #expect(
            parseAllChunkings(RFCVectors.helloUnmasked, expectsMasked: true).error == .maskRequired)
        #expect(
            parseAllChunkings(RFCVectors.helloMasked, expectsMasked: false).error == .maskForbidden)
    }

    @Test func controlFrameRules() {
        #expect(
            parseAllChunkings(rawFrame(0x09, payload: [1]), expectsMasked: true).error
                == .fragmentedControlFrame)
        #expect(
            parseAllChunkings(rawFrame(0x08), expectsMasked: true).error == .fragmentedControlFrame)
        let long = [UInt8](repeating: 0x61, count: 126)
        for opcode: UInt8 in [0x88, 0x89, 0x8A] {
            #expect(
                parseAllChunkings(rawFrame(opcode, payload: long), expectsMasked: true).error
                    == .controlFrameTooLong)
        }
        let ping125 = rawFrame(0x89, payload: [UInt8](repeating: 0x61, count: 125))
        #expect(parseAllChunkings(ping125, expectsMasked: true).frames.first?.payload.count == 125)
        // A 64-bit length on a ping is refused from the first two bytes.
        let ping64 = rawFrame(0x89, lengthBytes: [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(
            parse(ping64, expectsMasked: true, sizes: [2, ping64.count - 2]).error
                == .controlFrameTooLong)
    }

    @Test(arguments: [
        [UInt8(0), 0], [0, 1], [0, 125],
        [0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 125], [0, 0, 0, 0, 0, 0, 0, 126],
        [0, 0, 0, 0, 0, 0, 0xFF, 0xFF],
    ])
    func nonMinimalLengthIsRefused(lengthBytes: [UInt8]) {
        let frame = rawFrame(0x82, lengthBytes: lengthBytes)
        let outcome = parseAllChunkings(frame, expectsMasked: true)
        #expect(outcome.error == .nonMinimalLength)
        #expect(outcome.bytesFedAtError == frame.count)  // header only: no payload was needed
    }

    @Test func minimalLengthBoundariesAreAccepted() {
        #expect(parse(rawFrame(0x82, lengthBytes: [0, 126]), expectsMasked: true).error == nil)
        #expect(
            parse(rawFrame(0x82, lengthBytes: [0, 0, 0, 0, 0, 1, 0, 0]), expectsMasked: true).error
                == nil)
    }

    @Test(arguments: [
        [UInt8(0x80), 0, 0, 0, 0, 0, 0, 0], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
        [0x80, 0, 0, 0, 0, 0, 0x01, 0x00],
    ])
    func sixtyFourBitLengthWithTopBitIsRefused(lengthBytes: [UInt8]) {
        let outcome = parseAllChunkings(
            rawFrame(0x82, lengthBytes: lengthBytes), expectsMasked: true)
        #expect(outcome.error == .lengthMostSignificantBitSet)
    }

    @Test func oversizeFrameIsRefusedAtTheHeader() {
        // 7-bit, 16-bit and 64-bit length forms, each one over a limit of 100 / 1000 / 70000.
        let cases: [(limit: Int, frame: [UInt8])] = [
            (100, rawFrame(0x82, payload: Array(repeating: 0, count: 101))),
            (1000, rawFrame(0x82, lengthBytes: [0x03, 0xE9])),
            (70000, rawFrame(0x82, lengthBytes: [0, 0, 0, 0, 0, 0x01, 0x11, 0x71])),
            (
                1 << 24,
                rawFrame(0x82, lengthBytes: [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
            ),
        ]
        for (limit, frame) in cases {
            let header = Array(
                frame.prefix(FrameEncoder.headerLength(payloadCount: limit + 1, masked: true)))
            let outcome = parseAllChunkings(header, expectsMasked: true, maxFrame: limit)
            #expect(outcome.error == .frameTooBig, "limit \(limit)")
            #expect(outcome.bytesFedAtError == header.count)
            // Exactly at the limit is fine.
            let atLimit = FrameEncoder.encode(
                .binary, payload: [UInt8](repeating: 7, count: min(limit, 70000)),
                maskingKey: MaskingKey(1, 2, 3, 4))
            #expect(parse(atLimit, expectsMasked: true, maxFrame: min(limit, 70000)).error == nil)
        }
    }
}
