import TestSupportCore
import Testing
import WebSocketCore

/// Frame and message size limits (RFC 6455 §10.4): refused with 1009 at the header.
@Suite struct LimitsTests {
    @Test func frameOverTheLimitIsRefusedBeforeItsPayload() {
        let limits = WebSocketLimits(maxFramePayloadLength: 1000, maxMessageLength: 5000)
        let frame = clientFrame(.binary, Array(repeating: 1, count: 1001))
        let header = Array(frame.prefix(8))
        var harness = Harness(role: .server, limits: limits)
        expectFailure(harness.feed(header), .frameTooBig, code: 1009)
        expectFailure(receiveAllChunkings(frame, limits: limits), .frameTooBig, code: 1009)
        // The default limit refuses a 16 MiB + 1 frame from its 14-byte header alone.
        var defaults = Harness(role: .server)
        let huge = rawFrame(0x82, lengthBytes: [0, 0, 0, 0, 0x01, 0x00, 0x00, 0x01])
        expectFailure(defaults.feed(huge), .frameTooBig, code: 1009)
        // The default limit is inclusive: a 16 MiB frame (Autobahn 9.x) passes the header check.
        var exact = Harness(role: .server)
        #expect(
            exact.feed(rawFrame(0x82, lengthBytes: [0, 0, 0, 0, 0x01, 0x00, 0x00, 0x00])) == [])
        // Exactly at the limit is delivered.
        let atLimit = clientFrame(.binary, Array(repeating: 2, count: 1000))
        var ok = Harness(role: .server, limits: limits)
        #expect(ok.feed(atLimit) == [.deliver(.binary(Array(repeating: 2, count: 1000)))])
    }

    @Test func messageOverTheLimitIsRefusedAtTheHeaderOfTheFragmentThatOverflows() {
        let limits = WebSocketLimits(maxFramePayloadLength: 1000, maxMessageLength: 1500)
        let first = clientFrame(.binary, Array(repeating: 1, count: 1000), fin: false)
        let second = clientFrame(.continuation, Array(repeating: 1, count: 501))
        var harness = Harness(role: .server, limits: limits)
        #expect(harness.feed(first) == [])
        expectFailure(harness.feed(second.prefix(8)), .messageTooBig, code: 1009)
        expectFailure(
            receiveAllChunkings(first + second, limits: limits), .messageTooBig, code: 1009)
        // 1000 + 500 fits exactly.
        let fits = first + clientFrame(.continuation, Array(repeating: 1, count: 500))
        #expect(
            receiveAllChunkings(fits, limits: limits) == [
                .deliver(.binary(Array(repeating: 1, count: 1500)))
            ])
        // A single frame over the message limit (but under the frame limit) is refused too.
        let single = WebSocketLimits(maxFramePayloadLength: 1000, maxMessageLength: 100)
        var small = Harness(role: .server, limits: single)
        expectFailure(
            small.feed(clientFrame(.text, Array(repeating: 0x61, count: 101)).prefix(6)),
            .messageTooBig, code: 1009)
    }

    @Test func sixteenMebibyteMessageInFourFragmentsIsDelivered() {
        // Autobahn 9.x sends up to 16 MiB; the default limits must let exactly that through.
        let quarter = 4 << 20
        var block = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var payload: [UInt8] = []
        payload.reserveCapacity(4 * quarter)
        for index in 0..<256 {  // 256 distinct 64 KiB blocks, appended without per-byte work
            block[0] = UInt8(index)
            payload += block
        }
        var wire: [UInt8] = []
        for index in 0..<4 {
            let slice = payload[(index * quarter)..<((index + 1) * quarter)]
            wire += FrameEncoder.encode(
                index == 0 ? .binary : .continuation, payload: slice, fin: index == 3,
                maskingKey: MaskingKey(9, 8, 7, UInt8(index)))
        }
        var harness = Harness(role: .server)
        let actions = harness.feed(
            wire, sizes: Array(repeating: 1 << 16, count: wire.count >> 16) + [wire.count & 0xFFFF])
        #expect(actions == [.deliver(.binary(payload))])
        var tooMuch = Harness(role: .server)
        _ = tooMuch.feed(wire.prefix(wire.count - (quarter + 14)))  // the first three fragments
        expectFailure(
            tooMuch.feed(rawFrame(0x80, lengthBytes: [0, 0, 0, 0, 0, 0x40, 0x00, 0x01])),
            .messageTooBig, code: 1009)
    }

    @Test func controlFramesDoNotCountTowardsTheMessageLimit() {
        let limits = WebSocketLimits(maxFramePayloadLength: 200, maxMessageLength: 200)
        let bytes =
            clientFrame(.binary, Array(repeating: 1, count: 150), fin: false)
            + clientFrame(.ping, Array(repeating: 2, count: 100))
            + clientFrame(.continuation, Array(repeating: 1, count: 50))
        #expect(
            receiveAllChunkings(bytes, limits: limits) == [
                .sendControlFrame(.pong, payload: Array(repeating: 2, count: 100)),
                .deliver(.binary(Array(repeating: 1, count: 200))),
            ])
    }
}
