/// A WebSocket close status code (RFC 6455 §7.4, IANA "WebSocket Close Code
/// Number Registry").
///
/// Named cases cover the registered codes; anything else is kept as
/// `.unknown(code)` so that a peer's value is never lost or trapped on.
public enum CloseCode: Sendable, Hashable {
    /// 1000: the purpose of the connection has been fulfilled.
    case normalClosure
    /// 1001: an endpoint is going away (server shutting down, idle timeout).
    case goingAway
    /// 1002: the peer broke the protocol.
    case protocolError
    /// 1003: a data type the endpoint cannot accept.
    case unsupportedData
    /// 1007: message data inconsistent with its type (e.g. invalid UTF-8 in text).
    case invalidFramePayloadData
    /// 1008: a message that violates the endpoint's policy.
    case policyViolation
    /// 1009: a frame or message too big to process.
    case messageTooBig
    /// 1010: (client) the server did not negotiate a required extension.
    case mandatoryExtension
    /// 1011: the server met an unexpected condition.
    case internalServerError
    /// 1012: the service is restarting (IANA).
    case serviceRestart
    /// 1013: try again later: a temporary condition such as overload (IANA).
    case tryAgainLater
    /// 1014: a gateway received an invalid response (IANA).
    case badGateway
    /// Any other code, kept as it was received or given.
    case unknown(UInt16)

    /// Creates the code for a wire value.
    public init(_ value: UInt16) {
        switch value {
        case 1000: self = .normalClosure
        case 1001: self = .goingAway
        case 1002: self = .protocolError
        case 1003: self = .unsupportedData
        case 1007: self = .invalidFramePayloadData
        case 1008: self = .policyViolation
        case 1009: self = .messageTooBig
        case 1010: self = .mandatoryExtension
        case 1011: self = .internalServerError
        case 1012: self = .serviceRestart
        case 1013: self = .tryAgainLater
        case 1014: self = .badGateway
        default: self = .unknown(value)
        }
    }

    /// The wire value.
    public var value: UInt16 {
        switch self {
        case .normalClosure: 1000
        case .goingAway: 1001
        case .protocolError: 1002
        case .unsupportedData: 1003
        case .invalidFramePayloadData: 1007
        case .policyViolation: 1008
        case .messageTooBig: 1009
        case .mandatoryExtension: 1010
        case .internalServerError: 1011
        case .serviceRestart: 1012
        case .tryAgainLater: 1013
        case .badGateway: 1014
        case .unknown(let value): value
        }
    }

    /// Whether this code may appear in a close frame on the wire (§7.4.1, §7.4.2).
    ///
    /// Valid: the registered codes 1000–1003 and 1007–1014, and the ranges
    /// 3000–3999 (registered for libraries) and 4000–4999 (private use).
    /// Invalid: below 1000, 1004 (reserved), 1005 and 1006 and 1015 (must never be
    /// sent), 1016–2999 (reserved for future RFCs), and 5000 and above.
    public var isValidOnWire: Bool {
        switch value {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }
}

extension CloseCode: CustomStringConvertible {
    /// The wire value, for logs.
    public var description: String { String(value) }
}
