import WebSocketCore

// WebSocket conformance vectors shared by WebSocketCore's tests (the state
// machine alone) and SocketTransport's (a session through a byte channel:
// the fake one now, an HTTP/2 stream later).

/// RFC 6455 §5.7 examples, byte for byte.
public enum RFCVectors {
    /// A single-frame unmasked text message "Hello" (§5.7).
    /// "Hello" as UTF-8.
    public static let helloUnmasked: [UInt8] = [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
    /// The masking key of the §5.7 masked example.
    public static let helloKey = MaskingKey(0x37, 0xFA, 0x21, 0x3D)
    /// A single-frame masked text message "Hello" (§5.7).
    public static let helloMasked: [UInt8] = [
        0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58,
    ]
    /// The first fragment of an unmasked "Hello" (§5.7).
    public static let helFragment: [UInt8] = [0x01, 0x03, 0x48, 0x65, 0x6C]
    /// The last fragment of an unmasked "Hello" (§5.7).
    public static let loFragment: [UInt8] = [0x80, 0x02, 0x6C, 0x6F]
    /// An unmasked ping with the body "Hello" (§5.7).
    public static let pingHello: [UInt8] = [0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]
    /// A masked pong with the body "Hello" (§5.7).
    public static let pongHelloMasked: [UInt8] = [
        0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58,
    ]
    /// 256 bytes of payload.
    public static let payload256: [UInt8] = (0..<256).map { UInt8($0) }
    /// An unmasked binary message of 256 bytes, in the 16-bit length form (§5.7).
    public static let binary256: [UInt8] = [0x82, 0x7E, 0x01, 0x00] + payload256
    /// 64 KiB of payload.
    public static let payload64K: [UInt8] = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    /// An unmasked binary message of 64 KiB, in the 64-bit length form (§5.7).
    public static let binary64K: [UInt8] =
        [0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00] + payload64K
    public static let hello = Array("Hello".utf8)
}

/// Close codes a peer may send (RFC 6455 §7.4.1, §7.4.2).
public let validCloseCodes: [UInt16] = [
    1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999,
]
/// Close codes a peer must not send: failed with 1002.
public let invalidCloseCodes: [UInt16] = [
    0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535,
]

/// A frame the peer must not send, and the violation it is failed with.
public struct BadFrame: Sendable {
    /// What the case shows.
    public var name: String
    /// The bytes as the peer sends them.
    public var bytes: [UInt8]
    /// The side that receives them.
    public var role: WebSocketStateMachine.Role = .server
    /// The violation the receiver fails the connection with.
    public var violation: ProtocolViolation
    /// The close code it sends.
    public var code: UInt16 = 1002

    /// A case; `code` defaults to 1002 (protocol error), `role` to the server.
    public init(
        name: String, bytes: [UInt8], role: WebSocketStateMachine.Role = .server, violation: ProtocolViolation,
        code: UInt16 = 1002
    ) {
        self.name = name
        self.bytes = bytes
        self.role = role
        self.violation = violation
        self.code = code
    }
}

/// Frames a peer must not send (RFC 6455 §5.2, §5.4, §5.5), each with the
/// close code that fails the connection.
public let badFrames: [BadFrame] =
    [0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF].map { (opcode: UInt8) in
        BadFrame(
            name: "reserved opcode \(opcode)", bytes: rawFrame(0x80 | opcode, payload: [0x61]),
            violation: .reservedOpcode(opcode))
    }
    + [FrameHeader.rsv1, FrameHeader.rsv2, FrameHeader.rsv3].map { bit in
        BadFrame(
            name: "RSV bit \(bit)", bytes: rawFrame(0x81 | bit, payload: [0x61]),
            violation: .reservedBitsSet(bit))
    }
    + [
        BadFrame(
            name: "unmasked client frame", bytes: RFCVectors.helloUnmasked, violation: .maskRequired
        ),
        BadFrame(
            name: "masked server frame", bytes: RFCVectors.helloMasked, role: .client,
            violation: .maskForbidden),
        BadFrame(
            name: "fragmented ping", bytes: rawFrame(0x09, payload: [1, 2]),
            violation: .fragmentedControlFrame),
        BadFrame(
            name: "126-byte ping",
            bytes: rawFrame(0x89, payload: Array(repeating: 0x70, count: 126)),
            violation: .controlFrameTooLong),
        BadFrame(
            name: "126-byte close",
            bytes: rawFrame(0x88, payload: closePayload(1000) + Array(repeating: 0x61, count: 124)),
            violation: .controlFrameTooLong),
        BadFrame(
            name: "16-bit length 125",
            bytes: rawFrame(0x82, payload: Array(repeating: 1, count: 125), lengthBytes: [0, 125]),
            violation: .nonMinimalLength),
        BadFrame(
            name: "64-bit length 0xFFFF",
            bytes: rawFrame(0x82, lengthBytes: [0, 0, 0, 0, 0, 0, 0xFF, 0xFF]),
            violation: .nonMinimalLength),
        BadFrame(
            name: "64-bit length 5",
            bytes: rawFrame(
                0x82, payload: Array(repeating: 1, count: 5), lengthBytes: [0, 0, 0, 0, 0, 0, 0, 5]),
            violation: .nonMinimalLength),
        BadFrame(
            name: "64-bit length top bit",
            bytes: rawFrame(0x82, lengthBytes: [0x80, 0, 0, 0, 0, 0, 0, 1]),
            violation: .lengthMostSignificantBitSet),
        BadFrame(
            name: "continuation without start", bytes: rawFrame(0x80, payload: [0x61]),
            violation: .continuationWithoutStart),
        BadFrame(
            name: "continuation without start after a whole message",
            bytes: clientText("a") + rawFrame(0x80, payload: [0x61]),
            violation: .continuationWithoutStart),
        BadFrame(
            name: "text inside a fragmented message",
            bytes: clientText("Hel", fin: false) + clientText("lo"),
            violation: .newMessageInsideFragmentedMessage),
        BadFrame(
            name: "binary inside a fragmented message",
            bytes: clientText("Hel", fin: false) + clientFrame(.binary, [1], fin: false),
            violation: .newMessageInsideFragmentedMessage),
        BadFrame(
            name: "client: unfinished text then text", bytes: [0x01, 0x01, 0x61, 0x81, 0x01, 0x62],
            role: .client,
            violation: .newMessageInsideFragmentedMessage),
        BadFrame(
            name: "client: reserved opcode", bytes: [0x83, 0x00], role: .client,
            violation: .reservedOpcode(3)),
    ]

// MARK: - Wire helpers

/// A frame built byte by byte, independently of `FrameEncoder`: any header
/// fields, including illegal ones. `length` overrides the encoded length.
public func rawFrame(
    _ byte0: UInt8, payload: [UInt8] = [], key: [UInt8]? = [0x37, 0xFA, 0x21, 0x3D],
    lengthBytes: [UInt8]? = nil
) -> [UInt8] {
    var out: [UInt8] = [byte0]
    let maskBit: UInt8 = key == nil ? 0 : 0x80
    if let lengthBytes {
        out.append(maskBit | (lengthBytes.count == 2 ? 126 : 127))
        out += lengthBytes
    } else if payload.count < 126 {
        out.append(maskBit | UInt8(payload.count))
    } else if payload.count <= 0xFFFF {
        out += [maskBit | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
    } else {
        out.append(maskBit | 127)
        for shift in stride(from: 56, through: 0, by: -8) {
            out.append(UInt8((payload.count >> shift) & 0xFF))
        }
    }
    if let key {
        out += key
        out += payload.enumerated().map { $0.element ^ key[$0.offset % 4] }
    } else {
        out += payload
    }
    return out
}

/// A masked frame as a client sends it, via `FrameEncoder`.
public func clientFrame(
    _ opcode: Opcode, _ payload: [UInt8], fin: Bool = true,
    key: MaskingKey = MaskingKey(0x01, 0x02, 0x03, 0x04)
) -> [UInt8] {
    FrameEncoder.encode(opcode, payload: payload, fin: fin, maskingKey: key)
}

/// A masked text frame as a client sends it.
public func clientText(_ text: String, fin: Bool = true) -> [UInt8] {
    clientFrame(.text, Array(text.utf8), fin: fin)
}

/// A close frame's payload: the code, then the reason's bytes.
public func closePayload(_ code: UInt16, _ reason: [UInt8] = []) -> [UInt8] {
    [UInt8(code >> 8), UInt8(code & 0xFF)] + reason
}
