/// Serializes WebSocket frames (RFC 6455 §5.2).
///
/// Server frames go out unmasked, so one encoded broadcast can be sent as the
/// same bytes to every recipient; client frames are masked with a key the
/// caller draws from its CSPRNG for every frame (§5.3).
public enum FrameEncoder {
    /// The header length for a payload of `count` bytes, masked or not.
    @inlinable
    public static func headerLength(payloadCount count: Int, masked: Bool) -> Int {
        (count < 126 ? 2 : count <= 0xFFFF ? 4 : 10) + (masked ? 4 : 0)
    }

    /// Encodes one frame: header, then `payload` (masked with `maskingKey` when given).
    public static func encode(
        _ opcode: Opcode, payload: UnsafeRawBufferPointer, fin: Bool = true,
        reservedBits: UInt8 = 0, maskingKey: MaskingKey? = nil
    ) -> [UInt8] {
        let count = payload.count
        let headerCount = headerLength(payloadCount: count, masked: maskingKey != nil)
        return [UInt8](unsafeUninitializedCapacity: headerCount + count) { buffer, initialized in
            var cursor = 0
            func put(_ byte: UInt8) {
                buffer[cursor] = byte
                cursor += 1
            }
            put((fin ? 0x80 : 0) | (reservedBits & 0x70) | opcode.rawValue)
            let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
            if count < 126 {
                put(maskBit | UInt8(count))
            } else if count <= 0xFFFF {
                put(maskBit | 126)
                put(UInt8(count >> 8))
                put(UInt8(truncatingIfNeeded: count))
            } else {
                put(maskBit | 127)
                for shift in stride(from: 56, through: 0, by: -8) {
                    put(UInt8(truncatingIfNeeded: UInt64(count) >> UInt64(shift)))
                }
            }
            if let maskingKey {
                for index in 0..<4 { put(maskingKey[index]) }
            }
            let body = UnsafeMutableRawBufferPointer(
                rebasing: UnsafeMutableRawBufferPointer(buffer)[cursor..<(cursor + count)])
            if count > 0 { body.copyMemory(from: payload) }
            maskingKey?.apply(to: body, payloadOffset: 0)
            initialized = headerCount + count
        }
    }

    /// Encodes one frame whose payload is a byte collection.
    public static func encode(
        _ opcode: Opcode, payload: some Collection<UInt8>, fin: Bool = true,
        reservedBits: UInt8 = 0, maskingKey: MaskingKey? = nil
    ) -> [UInt8] {
        if let frame = payload.withContiguousStorageIfAvailable({
            encode(
                opcode, payload: UnsafeRawBufferPointer($0), fin: fin, reservedBits: reservedBits,
                maskingKey: maskingKey)
        }) {
            return frame
        }
        return encode(
            opcode, payload: Array(payload), fin: fin, reservedBits: reservedBits,
            maskingKey: maskingKey)
    }

    /// Encodes a text frame carrying `text` as UTF-8.
    public static func text(_ text: String, maskingKey: MaskingKey? = nil) -> [UInt8] {
        var text = text
        return text.withUTF8 { encode(.text, payload: UnsafeRawBufferPointer($0), maskingKey: maskingKey) }
    }

    /// Encodes a close frame: empty when `code` is nil, else the code and a
    /// reason trimmed to fit the 125-byte control payload (§5.5.1) on a
    /// character boundary.
    public static func close(
        code: CloseCode?, reason: String = "", maskingKey: MaskingKey? = nil
    ) -> [UInt8] {
        encode(.close, payload: closePayload(code: code, reason: reason), maskingKey: maskingKey)
    }

    /// The payload of a close frame (§5.5.1): two bytes of code, then UTF-8 reason.
    public static func closePayload(code: CloseCode?, reason: String) -> [UInt8] {
        guard let code else { return [] }
        var payload: [UInt8] = [UInt8(code.value >> 8), UInt8(truncatingIfNeeded: code.value)]
        for character in reason {
            let utf8 = Array(String(character).utf8)
            if payload.count + utf8.count > 125 { break }
            payload.append(contentsOf: utf8)
        }
        return payload
    }
}
