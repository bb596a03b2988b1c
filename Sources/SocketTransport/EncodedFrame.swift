import WebSocketCore

/// A server frame encoded once, to be sent as the same bytes to many connections.
public struct EncodedFrame: Sendable, Hashable {
    /// The whole frame, unmasked.
    public let bytes: [UInt8]
    let opcode: Opcode
    let headerLength: Int

    /// Encodes a text message.
    public static func text(_ text: String) -> EncodedFrame {
        EncodedFrame(opcode: .text, payload: Array(text.utf8))
    }

    /// Encodes a binary message.
    public static func binary(_ bytes: [UInt8]) -> EncodedFrame {
        EncodedFrame(opcode: .binary, payload: bytes)
    }

    private init(opcode: Opcode, payload: [UInt8]) {
        self.opcode = opcode
        headerLength = FrameEncoder.headerLength(payloadCount: payload.count, masked: false)
        bytes = FrameEncoder.encode(opcode, payload: payload)
    }
}
