/// A WebSocket frame opcode (RFC 6455 §5.2, §11.8).
///
/// Only the six opcodes the RFC defines are representable; the parser rejects
/// the reserved ones (3–7, 0xB–0xF) with close code 1002 before a value of this
/// type is ever made.
public enum Opcode: UInt8, Sendable, Hashable, CaseIterable {
    /// A continuation of a fragmented data message (§5.4).
    case continuation = 0x0
    /// A text data frame: the message must be valid UTF-8 (§5.6).
    case text = 0x1
    /// A binary data frame.
    case binary = 0x2
    /// The close control frame (§5.5.1).
    case close = 0x8
    /// The ping control frame (§5.5.2).
    case ping = 0x9
    /// The pong control frame (§5.5.3).
    case pong = 0xA

    /// Whether this is a control frame opcode (most significant bit set, §5.5).
    @inlinable
    public var isControl: Bool { rawValue & 0x8 != 0 }
}
