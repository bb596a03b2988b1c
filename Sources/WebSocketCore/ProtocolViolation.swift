/// Why a peer's bytes broke RFC 6455, and the close code that fails the
/// connection for it (§7.1.7).
///
/// A struct wrapping a private enum so that new cases can be added without
/// breaking callers; compare with the static members.
public struct ProtocolViolation: Error, Sendable, Hashable {
    private enum Kind: Sendable, Hashable {
        case reservedOpcode(UInt8)
        case reservedBitsSet(UInt8)
        case maskRequired
        case maskForbidden
        case fragmentedControlFrame
        case controlFrameTooLong
        case nonMinimalLength
        case lengthMostSignificantBitSet
        case frameTooBig
        case messageTooBig
        case continuationWithoutStart
        case newMessageInsideFragmentedMessage
        case invalidUTF8
        case invalidClosePayloadLength
        case invalidCloseCode(UInt16)
        case invalidCloseReasonUTF8
        case compressedControlFrame
        case compressedContinuation
        case invalidCompressedData
        case memoryBudgetExhausted
    }

    private let kind: Kind

    /// An opcode the RFC reserves (3–7, 0xB–0xF): 1002.
    public static func reservedOpcode(_ raw: UInt8) -> Self { .init(kind: .reservedOpcode(raw)) }
    /// RSV bits set that no extension negotiated (§5.2): 1002.
    public static func reservedBitsSet(_ bits: UInt8) -> Self { .init(kind: .reservedBitsSet(bits)) }
    /// An unmasked frame from a client (§5.1): 1002.
    public static let maskRequired = Self(kind: .maskRequired)
    /// A masked frame from a server (§5.1): 1002.
    public static let maskForbidden = Self(kind: .maskForbidden)
    /// A control frame without FIN (§5.5): 1002.
    public static let fragmentedControlFrame = Self(kind: .fragmentedControlFrame)
    /// A control frame payload over 125 bytes (§5.5): 1002.
    public static let controlFrameTooLong = Self(kind: .controlFrameTooLong)
    /// A length not in its minimal encoding (§5.2 "the minimal number of bytes"): 1002.
    public static let nonMinimalLength = Self(kind: .nonMinimalLength)
    /// A 64-bit length with its most significant bit set (§5.2): 1002.
    public static let lengthMostSignificantBitSet = Self(kind: .lengthMostSignificantBitSet)
    /// A frame over the configured maximum frame size: 1009.
    public static let frameTooBig = Self(kind: .frameTooBig)
    /// A message over the configured maximum message size: 1009.
    public static let messageTooBig = Self(kind: .messageTooBig)
    /// A continuation frame with no message in progress (§5.4): 1002.
    public static let continuationWithoutStart = Self(kind: .continuationWithoutStart)
    /// A new text or binary frame while a fragmented message is in progress (§5.4): 1002.
    public static let newMessageInsideFragmentedMessage = Self(
        kind: .newMessageInsideFragmentedMessage)
    /// A text message that is not valid UTF-8 (§8.1): 1007.
    public static let invalidUTF8 = Self(kind: .invalidUTF8)
    /// A close payload of exactly one byte (§5.5.1): 1002.
    public static let invalidClosePayloadLength = Self(kind: .invalidClosePayloadLength)
    /// A close code that may not be sent (§7.4): 1002.
    public static func invalidCloseCode(_ code: UInt16) -> Self { .init(kind: .invalidCloseCode(code)) }
    /// A close reason that is not valid UTF-8 (§5.5.1): 1007.
    public static let invalidCloseReasonUTF8 = Self(kind: .invalidCloseReasonUTF8)

    /// RSV1 ("compressed") set on a control frame (RFC 7692 §6): 1002.
    public static let compressedControlFrame = Self(kind: .compressedControlFrame)
    /// RSV1 set on a continuation frame; only a message's first frame carries it (RFC 7692 §6): 1002.
    public static let compressedContinuation = Self(kind: .compressedContinuation)
    /// A compressed message that does not inflate (RFC 7692 §8: fail the connection): 1002.
    public static let invalidCompressedData = Self(kind: .invalidCompressedData)

    /// Buffering the message would take more memory than the transport's
    /// `BufferAllowance` grants (the server's global budget is spent): 1013,
    /// try again later. Not the peer's fault as such, but its message cannot be taken now.
    public static let memoryBudgetExhausted = Self(kind: .memoryBudgetExhausted)

    /// The close code that fails the connection for this violation.
    public var closeCode: CloseCode {
        switch kind {
        case .invalidUTF8, .invalidCloseReasonUTF8: .invalidFramePayloadData
        case .frameTooBig, .messageTooBig: .messageTooBig
        case .memoryBudgetExhausted: .tryAgainLater
        default: .protocolError
        }
    }
}

extension ProtocolViolation: CustomStringConvertible {
    /// A short reason, fit for a close frame's reason text and for logs.
    public var description: String {
        switch kind {
        case .reservedOpcode(let raw): "reserved opcode \(raw)"
        case .reservedBitsSet: "reserved bits set without an extension"
        case .maskRequired: "client frames must be masked"
        case .maskForbidden: "server frames must not be masked"
        case .fragmentedControlFrame: "fragmented control frame"
        case .controlFrameTooLong: "control frame payload over 125 bytes"
        case .nonMinimalLength: "payload length not minimally encoded"
        case .lengthMostSignificantBitSet: "64-bit payload length with the top bit set"
        case .frameTooBig: "frame too big"
        case .messageTooBig: "message too big"
        case .continuationWithoutStart: "continuation frame without a message in progress"
        case .newMessageInsideFragmentedMessage: "new data frame inside a fragmented message"
        case .invalidUTF8: "invalid UTF-8 in text message"
        case .invalidClosePayloadLength: "close payload of one byte"
        case .invalidCloseCode(let code): "invalid close code \(code)"
        case .invalidCloseReasonUTF8: "invalid UTF-8 in close reason"
        case .compressedControlFrame: "RSV1 set on a control frame"
        case .compressedContinuation: "RSV1 set on a continuation frame"
        case .invalidCompressedData: "invalid deflate data"
        case .memoryBudgetExhausted: "server busy"
        }
    }
}
