/// A complete WebSocket data message, reassembled from its fragments (RFC 6455 §5.4).
public enum WebSocketMessage: Sendable, Hashable {
    /// A text message, already validated as UTF-8.
    case text(String)
    /// A binary message.
    case binary([UInt8])
}

/// Size limits for one connection's incoming data.
public struct WebSocketLimits: Sendable, Hashable {
    /// Largest payload of a single frame. Default 16 MiB: a large pasted
    /// document fits, an attacker cannot make us buffer gigabytes.
    public var maxFramePayloadLength: Int
    /// Largest reassembled message. Default 16 MiB, for the same reason.
    public var maxMessageLength: Int

    /// Creates limits; both default to 16 MiB.
    public init(maxFramePayloadLength: Int = 16 << 20, maxMessageLength: Int = 16 << 20) {
        self.maxFramePayloadLength = maxFramePayloadLength
        self.maxMessageLength = maxMessageLength
    }
}
