/// A 32-bit frame masking key (RFC 6455 §5.3).
///
/// Clients mask every frame with a fresh key that an attacker cannot predict.
/// This target performs no I/O and has no random source of its own: keys come
/// from a generator the caller injects (`random(using:)`), which in production
/// is the system CSPRNG and in tests a seeded one.
public struct MaskingKey: Sendable, Hashable {
    /// The four key bytes packed with the first wire byte lowest.
    private let packed: UInt32

    /// Creates a key from its four wire bytes.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        packed = UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(b3) << 24
    }

    /// The four key bytes, in wire order.
    public var bytes: [UInt8] { (0..<4).map { self[$0] } }

    /// Creates a fresh key from `generator`.
    public static func random(using generator: inout some RandomNumberGenerator) -> MaskingKey {
        let word = UInt32.random(in: .min ... .max, using: &generator)
        return MaskingKey(
            UInt8(truncatingIfNeeded: word), UInt8(truncatingIfNeeded: word >> 8),
            UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 24))
    }

    /// The key byte that applies at payload position `index` (§5.3: `j = i MOD 4`).
    public subscript(index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: packed >> (UInt32(index & 3) * 8))
    }

    /// XORs `buffer` in place with this key, where `buffer[0]` sits at payload
    /// position `offset`. Applying the same key twice restores the input.
    public func apply(to buffer: UnsafeMutableRawBufferPointer, payloadOffset offset: Int) {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
        var index = 0
        let count = buffer.count
        // Byte by byte until aligned on the key, then eight bytes at a time.
        while index < count && (offset + index) & 3 != 0 {
            base.storeBytes(
                of: base.load(fromByteOffset: index, as: UInt8.self) ^ self[offset + index],
                toByteOffset: index, as: UInt8.self)
            index += 1
        }
        let word64 = (UInt64(packed) | UInt64(packed) << 32).littleEndianKeyOrder
        while index + 8 <= count {
            let value = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            base.storeBytes(of: value ^ word64, toByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < count {
            base.storeBytes(
                of: base.load(fromByteOffset: index, as: UInt8.self) ^ self[offset + index],
                toByteOffset: index, as: UInt8.self)
            index += 1
        }
    }

    /// Masks a byte array in place, starting at payload position 0.
    public func apply(to bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { apply(to: $0, payloadOffset: 0) }
    }
}

extension UInt64 {
    /// The key word laid out so that a native load/store XORs bytes in wire order.
    fileprivate var littleEndianKeyOrder: UInt64 { UInt64(littleEndian: self) }
}
