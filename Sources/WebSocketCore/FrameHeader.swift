/// The fixed part of a WebSocket frame, as read off the wire (RFC 6455 §5.2).
public struct FrameHeader: Sendable, Hashable {
    /// Whether this is the final fragment of a message.
    public var fin: Bool
    /// The three reserved bits, in their wire position (`0x40` RSV1, `0x20` RSV2,
    /// `0x10` RSV3). Non-zero only when an extension negotiated them.
    public var reservedBits: UInt8
    /// The frame's opcode.
    public var opcode: Opcode
    /// The masking key, present exactly when the mask bit was set.
    public var maskingKey: MaskingKey?
    /// The payload length in bytes, already checked against the parser's limit.
    public var payloadLength: Int

    /// Creates a header.
    public init(
        fin: Bool, reservedBits: UInt8 = 0, opcode: Opcode, maskingKey: MaskingKey?,
        payloadLength: Int
    ) {
        self.fin = fin
        self.reservedBits = reservedBits
        self.opcode = opcode
        self.maskingKey = maskingKey
        self.payloadLength = payloadLength
    }

    /// The RSV1 bit, used by permessage-deflate (RFC 7692 §6).
    public static let rsv1: UInt8 = 0x40
    /// The RSV2 bit.
    public static let rsv2: UInt8 = 0x20
    /// The RSV3 bit.
    public static let rsv3: UInt8 = 0x10
}
