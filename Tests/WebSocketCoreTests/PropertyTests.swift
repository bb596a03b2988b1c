import TestSupportCore
import Testing
import WebSocketCore

/// What the transport is asked to do, with text compared byte for byte
/// (`String ==` would accept canonically equivalent but different text).
enum Observed: Equatable, CustomStringConvertible {
    case text([UInt8])
    case binary([UInt8])
    case other(Action)

    init(_ action: Action) {
        switch action {
        case .deliver(.text(let string)): self = .text(Array(string.utf8))
        case .deliver(.binary(let bytes)): self = .binary(bytes)
        default: self = .other(action)
        }
    }

    var description: String {
        switch self {
        case .text(let bytes): "text(\(bytes.count) bytes)"
        case .binary(let bytes): "binary(\(bytes.count) bytes)"
        case .other(.sendControlFrame(let opcode, let payload)): "\(opcode)(\(payload.count) bytes)"
        case .other(let action): "\(action)"
        }
    }
}

/// A random conversation as the peer sends it, and what the machine must report.
struct Script {
    var wire: [UInt8] = []
    var expected: [Observed] = []
}

extension SplitMix64 {
    /// Mostly small messages, some medium, one in ten across the 64 KiB boundary.
    mutating func messageSize() -> Int {
        switch Int.random(in: 0..<10, using: &self) {
        case 0..<6: Int.random(in: 0...200, using: &self)
        case 6..<9: Int.random(in: 201...5000, using: &self)
        default: Int.random(in: 60000...70000, using: &self)
        }
    }

    /// Cut points splitting `count` bytes into fragments (possibly empty ones).
    mutating func fragments(of count: Int) -> [Range<Int>] {
        let pieces =
            Int.random(in: 0..<10, using: &self) < 6 ? 1 : Int.random(in: 2...6, using: &self)
        let cuts = ((1..<pieces).map { _ in Int.random(in: 0...count, using: &self) } + [0, count])
            .sorted()
        return (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }
    }

    mutating func script(messages: Int, masked: Bool) -> Script {
        var script = Script()
        func frame(_ opcode: Opcode, _ payload: ArraySlice<UInt8>, fin: Bool, rng: inout SplitMix64)
            -> [UInt8]
        {
            FrameEncoder.encode(
                opcode, payload: payload, fin: fin,
                maskingKey: masked ? MaskingKey.random(using: &rng) : nil)
        }
        func maybePing(_ rng: inout SplitMix64) {
            guard Int.random(in: 0..<4, using: &rng) == 0 else { return }
            let payload = rng.bytes(Int.random(in: 0...125, using: &rng))
            script.wire += frame(.ping, payload[...], fin: true, rng: &rng)
            script.expected.append(.other(.sendControlFrame(.pong, payload: payload)))
        }
        for _ in 0..<messages {
            maybePing(&self)
            let isText = Bool.random(using: &self)
            let size = messageSize()
            let payload = isText ? Array(text(utf8Count: size).utf8) : bytes(size)
            let ranges = fragments(of: payload.count)
            for (index, range) in ranges.enumerated() {
                let opcode: Opcode = index > 0 ? .continuation : isText ? .text : .binary
                script.wire += frame(
                    opcode, payload[range], fin: index == ranges.count - 1, rng: &self)
                if index < ranges.count - 1 { maybePing(&self) }
            }
            script.expected.append(isText ? .text(payload) : .binary(payload))
        }
        maybePing(&self)
        return script
    }
}

@Suite struct PropertyTests {
    private func check(_ actual: [Action], _ expected: [Observed], seed: UInt64, what: String) {
        let observed = actual.map(Observed.init)
        guard observed != expected else { return }
        let index =
            zip(observed, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(observed.count, expected.count)
        Issue.record(
            """
            seed \(seed) (\(what)): \(observed.count) actions, expected \(expected.count); \
            first difference at \(index): \(index < observed.count ? observed[index].description : "none") \
            vs \(index < expected.count ? expected[index].description : "none")
            """)
    }

    @Test(arguments: propertySeeds)
    func serverReassemblesRandomClientTraffic(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        let script = rng.script(messages: 10, masked: true)
        var whole = Harness(role: .server)
        check(whole.feed(script.wire), script.expected, seed: seed, what: "fed whole")
        var chunked = Harness(role: .server)
        check(
            chunked.feed(script.wire, sizes: rng.chunkSizes(total: script.wire.count)),
            script.expected, seed: seed, what: "fed in random chunks")
        #expect(chunked.machine.canSendMessages, "seed \(seed)")
    }

    @Test(arguments: propertySeeds.prefix(6))
    func clientReassemblesRandomServerTraffic(seed: UInt64) {
        var rng = SplitMix64(seed: seed ^ 0xC11E)
        let script = rng.script(messages: 8, masked: false)
        var harness = Harness(role: .client)
        check(
            harness.feed(script.wire, sizes: rng.chunkSizes(total: script.wire.count)),
            script.expected, seed: seed, what: "client")
    }

    @Test(arguments: propertySeeds)
    func encodedFramesParseBackUnderAnyChunking(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var wire: [UInt8] = []
        var frames: [ParsedFrame] = []
        for _ in 0..<30 {
            let opcode = Opcode.allCases.randomElement(using: &rng)!
            let fin = opcode.isControl || Bool.random(using: &rng)
            let size =
                opcode.isControl ? Int.random(in: 0...125, using: &rng) : rng.messageSize() / 4
            let payload = rng.bytes(size)
            let key = MaskingKey.random(using: &rng)
            wire += FrameEncoder.encode(opcode, payload: payload, fin: fin, maskingKey: key)
            frames.append(
                ParsedFrame(
                    header: FrameHeader(
                        fin: fin, opcode: opcode, maskingKey: key, payloadLength: size),
                    payload: payload))
        }
        let outcome = parse(wire, expectsMasked: true, sizes: rng.chunkSizes(total: wire.count))
        #expect(outcome.error == nil, "seed \(seed)")
        #expect(outcome.frames.count == frames.count, "seed \(seed)")
        if outcome.frames != frames {
            let index =
                zip(outcome.frames, frames).enumerated().first { $0.element.0 != $0.element.1 }?
                .offset ?? -1
            Issue.record("seed \(seed): frame \(index) differs")
        }
    }

    // MARK: Masking (§5.3)

    @Test(arguments: propertySeeds)
    func maskingMatchesTheRFCAndIsItsOwnInverse(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<300 {
            let key = MaskingKey.random(using: &rng)
            let original = rng.bytes(Int.random(in: 0...300, using: &rng))
            let start = Int.random(in: 0...7, using: &rng)  // payload position of the first byte
            let reference = original.enumerated().map {
                $0.element ^ key.bytes[($0.offset + start) % 4]
            }

            var whole = original
            whole.withUnsafeMutableBytes { key.apply(to: $0, payloadOffset: start) }
            guard whole == reference else {
                Issue.record(
                    "seed \(seed): apply(offset \(start)) differs from j = i MOD 4 for \(original.count) bytes"
                )
                return
            }
            // In random pieces, each told its payload position.
            var pieces = original
            var position = 0
            pieces.withUnsafeMutableBytes { buffer in
                for size in rng.chunkSizes(total: buffer.count) {
                    key.apply(
                        to: UnsafeMutableRawBufferPointer(
                            rebasing: buffer[position..<(position + size)]),
                        payloadOffset: start + position)
                    position += size
                }
            }
            guard pieces == whole else {
                Issue.record(
                    "seed \(seed): masking in pieces differs from masking whole (\(original.count) bytes)"
                )
                return
            }
            whole.withUnsafeMutableBytes { key.apply(to: $0, payloadOffset: start) }
            guard whole == original else {
                Issue.record("seed \(seed): masking twice is not the identity")
                return
            }
        }
    }

    @Test func maskingKeyBytesAndIndexing() {
        let key = MaskingKey(0x37, 0xFA, 0x21, 0x3D)
        #expect(key.bytes == [0x37, 0xFA, 0x21, 0x3D])
        #expect((0..<8).map { key[$0] } == [0x37, 0xFA, 0x21, 0x3D, 0x37, 0xFA, 0x21, 0x3D])
        var bytes = RFCVectors.hello
        key.apply(to: &bytes)
        #expect(bytes == [0x7F, 0x9F, 0x4D, 0x51, 0x58])
        var empty: [UInt8] = []
        key.apply(to: &empty)
        #expect(empty == [])
        var a = SplitMix64(seed: 1)
        var b = SplitMix64(seed: 1)
        #expect(MaskingKey.random(using: &a) == MaskingKey.random(using: &b))
        // Unaligned buffers: the eight-byte path must not depend on the address.
        var storage = [UInt8](repeating: 0, count: 64)
        for shift in 0..<8 {
            storage = [UInt8](repeating: 0, count: 64)
            storage.withUnsafeMutableBytes {
                key.apply(
                    to: UnsafeMutableRawBufferPointer(rebasing: $0[shift..<(shift + 40)]),
                    payloadOffset: 0)
            }
            #expect(
                Array(storage[shift..<(shift + 40)]) == (0..<40).map { key[$0] }, "shift \(shift)")
        }
    }
}
