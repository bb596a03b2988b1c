import TestSupportCore
import Testing
import WebSocketCore

typealias Action = WebSocketStateMachine.Action

// MARK: - Seeded randomness

/// Seeds for the property tests; each runs as its own test case, so a failure
/// names its seed.
let propertySeeds: [UInt64] = (1...16).map { UInt64($0) &* 0x2545_F491_4F6C_DD1D }

extension SplitMix64 {
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }

    /// A random Unicode scalar, weighted over the 1-, 2-, 3- and 4-byte UTF-8 forms.
    mutating func scalar() -> Unicode.Scalar {
        let value: UInt32
        switch Int.random(in: 0..<20, using: &self) {
        case 0..<8: value = UInt32.random(in: 0...0x7F, using: &self)
        case 8..<12: value = UInt32.random(in: 0x80...0x7FF, using: &self)
        case 12..<17:
            let candidate = UInt32.random(in: 0x800...0xFFFF, using: &self)
            value = (0xD800...0xDFFF).contains(candidate) ? 0xFFFD : candidate
        default: value = UInt32.random(in: 0x10000...0x10FFFF, using: &self)
        }
        return Unicode.Scalar(value)!
    }

    /// A random string of at least `utf8Count` UTF-8 bytes (at most 3 more).
    mutating func text(utf8Count: Int) -> String {
        var scalars = String.UnicodeScalarView()
        var count = 0
        while count < utf8Count {
            let scalar = scalar()
            scalars.append(scalar)
            count += String(scalar).utf8.count
        }
        return String(scalars)
    }

    /// Points where `count` bytes are cut into chunks: sizes 1...3, 1...100 or
    /// 1...5000, chosen per case so that both tiny and large reads are exercised.
    mutating func chunkSizes(total count: Int) -> [Int] {
        let maxChunk = [3, 100, 5000].randomElement(using: &self)!
        var sizes: [Int] = []
        var left = count
        while left > 0 {
            let size = min(left, Int.random(in: 1...maxChunk, using: &self))
            sizes.append(size)
            left -= size
        }
        return sizes
    }
}

// MARK: - Wire helpers

// MARK: - Feeding the state machine

/// A state machine fed chunk by chunk; each chunk is copied because `receive`
/// unmasks in place.
struct Harness {
    var machine: WebSocketStateMachine

    init(role: WebSocketStateMachine.Role, limits: WebSocketLimits = WebSocketLimits()) {
        machine = WebSocketStateMachine(role: role, limits: limits)
    }

    mutating func feed(_ bytes: some Collection<UInt8>) -> [Action] {
        var actions: [Action] = []
        var copy = Array(bytes)
        copy.withUnsafeMutableBytes { machine.receive($0, into: &actions) }
        return actions
    }

    mutating func feed(_ bytes: [UInt8], sizes: [Int]) -> [Action] {
        var actions: [Action] = []
        var start = 0
        for size in sizes {
            actions += feed(bytes[start..<(start + size)])
            start += size
        }
        precondition(start == bytes.count, "chunk sizes must cover the input")
        return actions
    }

    mutating func close(code: CloseCode?, reason: String = "") -> [Action] {
        var actions: [Action] = []
        machine.close(code: code, reason: reason, into: &actions)
        return actions
    }
}

/// Named ways to cut `count` bytes: whole, one byte at a time, and in two at
/// every point (for long inputs: every point in the first and last 40 bytes and
/// every 997th point in between, to keep debug runs fast).
func chunkings(count: Int) -> [(name: String, sizes: [Int])] {
    var result: [(String, [Int])] = [("whole", [count])]
    if count > 1 { result.append(("byte by byte", Array(repeating: 1, count: count))) }
    let points: [Int] =
        count <= 600
        ? Array(stride(from: 1, to: count, by: 1))
        : Array(1...40) + Array(stride(from: 41, to: count - 40, by: 997))
            + Array((count - 40)..<count)
    for point in points { result.append(("split at \(point)", [point, count - point])) }
    return result
}

/// Runs `bytes` through a fresh machine under every chunking, records an issue
/// for the first chunking that disagrees with feeding it whole, and returns the
/// actions of feeding it whole.
@discardableResult
func receiveAllChunkings(
    _ bytes: [UInt8], role: WebSocketStateMachine.Role = .server,
    limits: WebSocketLimits = WebSocketLimits(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> [Action] {
    var whole = Harness(role: role, limits: limits)
    let reference = whole.feed(bytes)
    for (name, sizes) in chunkings(count: bytes.count).dropFirst() {
        var harness = Harness(role: role, limits: limits)
        let actions = harness.feed(bytes, sizes: sizes)
        if actions != reference {
            Issue.record(
                "fed \(name): \(actions) differs from fed whole: \(reference)",
                sourceLocation: sourceLocation)
            break
        }
    }
    return reference
}

/// The three actions that fail the connection for `violation`, checked field by
/// field: the close frame must carry the violation's code and a valid short reason.
func expectFailure(
    _ actions: [Action], _ violation: ProtocolViolation, code: UInt16,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actions.count >= 3 else {
        Issue.record(
            "expected failure \(violation), got \(actions)", sourceLocation: sourceLocation)
        return
    }
    let tail = Array(actions.suffix(3))
    #expect(tail[0] == .failed(violation), sourceLocation: sourceLocation)
    #expect(violation.closeCode.value == code, sourceLocation: sourceLocation)
    if case .sendControlFrame(.close, let payload) = tail[1] {
        #expect(payload.count >= 2 && payload.count <= 125, sourceLocation: sourceLocation)
        #expect(Array(payload.prefix(2)) == closePayload(code), sourceLocation: sourceLocation)
        #expect(UTF8Validator.isValid(payload.dropFirst(2)), sourceLocation: sourceLocation)
    } else {
        Issue.record("expected a close frame, got \(tail[1])", sourceLocation: sourceLocation)
    }
    #expect(tail[2] == .closeConnection(code: CloseCode(code)), sourceLocation: sourceLocation)
}

// MARK: - Feeding the parser

/// A frame as the parser reported it, payload reassembled from its chunks.
struct ParsedFrame: Equatable {
    var header: FrameHeader
    var payload: [UInt8]
}

struct ParseOutcome: Equatable {
    var frames: [ParsedFrame] = []
    var error: ProtocolViolation?
    /// Bytes fed before the error was thrown (or all of them).
    var bytesFedAtError: Int?
}

/// Runs `bytes` through a `FrameParser` in chunks of `sizes`, checking the
/// event grammar (start, payload*, end) as it goes.
func parse(
    _ bytes: [UInt8], expectsMasked: Bool, maxFrame: Int = 1 << 24, sizes: [Int]? = nil
) -> ParseOutcome {
    var parser = FrameParser(expectsMaskedFrames: expectsMasked, maxFramePayloadLength: maxFrame)
    var outcome = ParseOutcome()
    var current: ParsedFrame?
    var fed = 0
    for size in sizes ?? [bytes.count] {
        var chunk = Array(bytes[fed..<(fed + size)])
        fed += size
        do {
            try chunk.withUnsafeMutableBytes { buffer in
                var input = buffer
                while let event = try parser.next(&input) {
                    switch event {
                    case .frameStart(let header):
                        #expect(current == nil)
                        current = ParsedFrame(header: header, payload: [])
                    case .payload(let data):
                        #expect(current != nil)
                        current?.payload += data
                    case .frameEnd(let header):
                        #expect(current?.header == header)
                        #expect(current?.payload.count == header.payloadLength)
                        if let frame = current { outcome.frames.append(frame) }
                        current = nil
                    }
                }
            }
        } catch {
            outcome.error = error as? ProtocolViolation
            #expect(outcome.error != nil, "the parser threw \(error)")
            outcome.bytesFedAtError = fed
            return outcome
        }
    }
    return outcome
}

/// `parse` under every chunking; records an issue for the first that differs
/// (except in `bytesFedAtError`, which depends on the chunking) and returns the
/// whole-input outcome.
@discardableResult
func parseAllChunkings(
    _ bytes: [UInt8], expectsMasked: Bool, maxFrame: Int = 1 << 24,
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome {
    let reference = parse(bytes, expectsMasked: expectsMasked, maxFrame: maxFrame)
    for (name, sizes) in chunkings(count: bytes.count).dropFirst() {
        var outcome = parse(bytes, expectsMasked: expectsMasked, maxFrame: maxFrame, sizes: sizes)
        outcome.bytesFedAtError = reference.bytesFedAtError
        if outcome != reference {
            Issue.record(
                "parsed \(name): \(outcome) differs from whole: \(reference)",
                sourceLocation: sourceLocation)
            break
        }
    }
    return reference
}
