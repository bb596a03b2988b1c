/// An incremental WebSocket frame parser (RFC 6455 §5.2).
///
/// It reads from a caller's mutable buffer and reports, in order, the start of
/// each frame (its validated header), the payload in as many chunks as the
/// input arrived in (unmasked in place, so no copy is made), and the end of the
/// frame. Any split of the byte stream, down to one byte at a time, gives the
/// same frames. Every check that can be made on the header is made before a
/// byte of payload is accepted, so an oversize frame is refused before it is
/// buffered.
public struct FrameParser: Sendable {
    /// What the parser found in the input.
    public enum Event {
        /// A frame begins; its header passed every check.
        case frameStart(FrameHeader)
        /// The next bytes of the current frame's payload, unmasked. Valid only
        /// until the input buffer is reused.
        case payload(UnsafeRawBufferPointer)
        /// The current frame's payload is complete.
        case frameEnd(FrameHeader)
    }

    private enum State: Sendable {
        case header
        case payload(FrameHeader, received: Int)
    }

    /// Whether frames must be masked (a server reading a client, §5.1) or must
    /// not be (a client reading a server).
    public let expectsMaskedFrames: Bool
    /// The largest payload accepted in one frame; a larger one is refused with 1009.
    public let maxFramePayloadLength: Int
    /// The RSV bits that a negotiated extension allows (none by default).
    public var allowedReservedBits: UInt8 = 0

    private var state = State.header
    /// Header bytes held back when a header arrives split across reads (at most 14).
    private var partialHeader: [UInt8] = []

    /// Creates a parser for one direction of one connection.
    public init(expectsMaskedFrames: Bool, maxFramePayloadLength: Int) {
        self.expectsMaskedFrames = expectsMaskedFrames
        self.maxFramePayloadLength = maxFramePayloadLength
    }

    /// Returns the next event from `input`, advancing `input` past the bytes it
    /// used, or `nil` when `input` is exhausted and more bytes are needed.
    public mutating func next(
        _ input: inout UnsafeMutableRawBufferPointer
    ) throws(ProtocolViolation) -> Event? {
        switch state {
        case .header:
            guard let header = try readHeader(&input) else { return nil }
            state = .payload(header, received: 0)
            return .frameStart(header)
        case .payload(let header, let received):
            if received == header.payloadLength {
                state = .header
                return .frameEnd(header)
            }
            guard !input.isEmpty else { return nil }
            let take = min(header.payloadLength - received, input.count)
            let chunk = UnsafeMutableRawBufferPointer(rebasing: input[..<take])
            header.maskingKey?.apply(to: chunk, payloadOffset: received)
            input = UnsafeMutableRawBufferPointer(rebasing: input[take...])
            state = .payload(header, received: received + take)
            return .payload(UnsafeRawBufferPointer(chunk))
        }
    }

    /// Reads a whole header from `input` (or from held-back bytes plus `input`).
    private mutating func readHeader(
        _ input: inout UnsafeMutableRawBufferPointer
    ) throws(ProtocolViolation) -> FrameHeader? {
        if partialHeader.isEmpty, input.count >= 2 {
            let needed = try headerLength(input[0], input[1])
            if input.count >= needed {
                let header = try decodeHeader(UnsafeRawBufferPointer(input), length: needed)
                input = UnsafeMutableRawBufferPointer(rebasing: input[needed...])
                return header
            }
        }
        // Slow path: the header is split across reads; hold back what we have.
        while !input.isEmpty {
            let needed =
                partialHeader.count < 2
                ? 2
                : try headerLength(partialHeader[0], partialHeader[1])
            if partialHeader.count == needed { break }
            let take = min(needed - partialHeader.count, input.count)
            partialHeader.append(contentsOf: input[..<take])
            input = UnsafeMutableRawBufferPointer(rebasing: input[take...])
            if partialHeader.count == 2 {
                // Check the first two bytes at once: fail fast on a bad header.
                _ = try headerLength(partialHeader[0], partialHeader[1])
            }
        }
        guard partialHeader.count >= 2 else { return nil }
        let needed = try headerLength(partialHeader[0], partialHeader[1])
        guard partialHeader.count == needed else { return nil }
        let result = partialHeader.withUnsafeBytes { bytes in
            Result { () throws(ProtocolViolation) in try decodeHeader(bytes, length: needed) }
        }
        partialHeader.removeAll(keepingCapacity: true)
        return try result.get()
    }

    /// Checks the first two header bytes and returns the whole header's length.
    private func headerLength(_ byte0: UInt8, _ byte1: UInt8) throws(ProtocolViolation) -> Int {
        let reserved = byte0 & 0x70
        if reserved & ~allowedReservedBits != 0 { throw .reservedBitsSet(reserved) }
        guard let opcode = Opcode(rawValue: byte0 & 0x0F) else {
            throw .reservedOpcode(byte0 & 0x0F)
        }
        let masked = byte1 & 0x80 != 0
        if masked != expectsMaskedFrames { throw expectsMaskedFrames ? .maskRequired : .maskForbidden }
        let length7 = byte1 & 0x7F
        if opcode.isControl {
            if byte0 & 0x80 == 0 { throw .fragmentedControlFrame }
            if length7 > 125 { throw .controlFrameTooLong }
        }
        let extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0
        return 2 + extended + (masked ? 4 : 0)
    }

    /// Decodes and validates a complete header of `length` bytes.
    private func decodeHeader(
        _ bytes: UnsafeRawBufferPointer, length: Int
    ) throws(ProtocolViolation) -> FrameHeader {
        let byte0 = bytes[0]
        let byte1 = bytes[1]
        let reserved = byte0 & 0x70  // checked in headerLength
        guard let opcode = Opcode(rawValue: byte0 & 0x0F) else {
            throw .reservedOpcode(byte0 & 0x0F)
        }
        var cursor = 2
        var payloadLength = Int(byte1 & 0x7F)
        if payloadLength == 126 {
            payloadLength = Int(bytes[2]) << 8 | Int(bytes[3])
            if payloadLength < 126 { throw .nonMinimalLength }
            cursor = 4
        } else if payloadLength == 127 {
            var value: UInt64 = 0
            for index in 2..<10 { value = value << 8 | UInt64(bytes[index]) }
            if value & (1 << 63) != 0 { throw .lengthMostSignificantBitSet }
            if value <= 0xFFFF { throw .nonMinimalLength }
            if value > UInt64(maxFramePayloadLength) { throw .frameTooBig }
            payloadLength = Int(value)
            cursor = 10
        }
        if payloadLength > maxFramePayloadLength { throw .frameTooBig }
        var key: MaskingKey?
        if length - cursor == 4 {
            key = MaskingKey(bytes[cursor], bytes[cursor + 1], bytes[cursor + 2], bytes[cursor + 3])
        }
        return FrameHeader(
            fin: byte0 & 0x80 != 0, reservedBits: reserved, opcode: opcode, maskingKey: key,
            payloadLength: payloadLength)
    }
}
