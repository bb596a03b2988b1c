/// A streaming UTF-8 validator (RFC 3629 §4, as RFC 6455 §8.1 requires for text).
///
/// Feed bytes in any chunks: it fails on the first byte that cannot continue a
/// valid sequence (overlong forms, surrogates, code points above U+10FFFF,
/// stray continuation bytes), and accepts a code point split across chunks.
/// `isComplete` tells whether the bytes so far end on a code point boundary.
public struct UTF8Validator: Sendable, Hashable {
    /// Continuation bytes still expected for the current code point.
    private var pending: UInt8 = 0
    /// Inclusive range allowed for the next continuation byte.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Creates a validator at a code point boundary.
    public init() {}

    /// Whether the bytes validated so far end on a code point boundary.
    public var isComplete: Bool { pending == 0 }

    /// Validates `bytes` as the continuation of everything fed before.
    /// Returns `false` at the first invalid byte; the validator must not be used after that.
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        var index = 0
        while index < count {
            if pending == 0 {
                // ASCII fast path, eight bytes at a time.
                while index + 8 <= count,
                    base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                        & 0x8080_8080_8080_8080 == 0
                {
                    index += 8
                }
                guard index < count else { break }
            }
            guard step(base.load(fromByteOffset: index, as: UInt8.self)) else { return false }
            index += 1
        }
        return true
    }

    /// Validates a byte array as the continuation of everything fed before.
    public mutating func validate(_ bytes: some Collection<UInt8>) -> Bool {
        let result = bytes.withContiguousStorageIfAvailable { validate(UnsafeRawBufferPointer($0)) }
        if let result { return result }
        return Array(bytes).withUnsafeBytes { validate($0) }
    }

    /// Advances over one byte; `false` if it cannot continue a valid sequence.
    private mutating func step(_ byte: UInt8) -> Bool {
        if pending > 0 {
            guard byte >= lower && byte <= upper else { return false }
            pending -= 1
            lower = 0x80
            upper = 0xBF
            return true
        }
        switch byte {
        case 0x00...0x7F: return true
        case 0xC2...0xDF: expect(1, 0x80, 0xBF)
        case 0xE0: expect(2, 0xA0, 0xBF)  // no overlong three-byte forms
        case 0xE1...0xEC, 0xEE...0xEF: expect(2, 0x80, 0xBF)
        case 0xED: expect(2, 0x80, 0x9F)  // no UTF-16 surrogates
        case 0xF0: expect(3, 0x90, 0xBF)  // no overlong four-byte forms
        case 0xF1...0xF3: expect(3, 0x80, 0xBF)
        case 0xF4: expect(3, 0x80, 0x8F)  // nothing above U+10FFFF
        default: return false  // 0x80–0xC1 and 0xF5–0xFF never start a sequence
        }
        return true
    }

    private mutating func expect(_ count: UInt8, _ low: UInt8, _ high: UInt8) {
        pending = count
        lower = low
        upper = high
    }

    /// Whether `bytes` are, as a whole, valid UTF-8.
    public static func isValid(_ bytes: some Collection<UInt8>) -> Bool {
        var validator = UTF8Validator()
        return validator.validate(bytes) && validator.isComplete
    }
}
