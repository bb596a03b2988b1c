/// The permessage-deflate extension (RFC 7692): what an endpoint is willing to
/// negotiate, and what was agreed.
///
/// The same configuration serves both sides: a server accepts offers within
/// it, a client builds its offer from it.
public struct PerMessageDeflateConfiguration: Sendable, Hashable {
    /// The server resets its compression context after every message
    /// (`server_no_context_takeover`, §7.1.1.1). Default false: context
    /// takeover compresses a conversation far better.
    public var serverNoContextTakeover: Bool
    /// The client resets its compression context after every message
    /// (`client_no_context_takeover`, §7.1.1.2). Default false, for the same reason.
    public var clientNoContextTakeover: Bool
    /// Largest LZ77 window (log2, 8...15) the server compresses with
    /// (`server_max_window_bits`, §7.1.2.1). Default 15, zlib's largest.
    public var serverMaxWindowBits: Int
    /// Largest LZ77 window (log2, 8...15) the client compresses with
    /// (`client_max_window_bits`, §7.1.2.2). Default 15.
    public var clientMaxWindowBits: Int
    /// Messages shorter than this many bytes are sent uncompressed (RSV1
    /// clear, §6): deflating them costs time and saves nothing. Default 64.
    public var minimumCompressedSize: Int

    /// Creates a configuration; see each property for its default. Window
    /// sizes outside 8...15 are clamped into it.
    public init(
        serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int = 15, clientMaxWindowBits: Int = 15, minimumCompressedSize: Int = 64
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = min(max(serverMaxWindowBits, 8), 15)
        self.clientMaxWindowBits = min(max(clientMaxWindowBits, 8), 15)
        self.minimumCompressedSize = minimumCompressedSize
    }
}

/// The permessage-deflate parameters both endpoints agreed on in the opening
/// handshake (RFC 7692 §7.1).
public struct PerMessageDeflateAgreement: Sendable, Hashable {
    /// The server resets its compression context after every message.
    public var serverNoContextTakeover: Bool
    /// The client resets its compression context after every message.
    public var clientNoContextTakeover: Bool
    /// The server compresses with a window of at most 2^this bytes.
    public var serverMaxWindowBits: Int
    /// The client compresses with a window of at most 2^this bytes.
    public var clientMaxWindowBits: Int
    /// Messages shorter than this are sent uncompressed (a local choice, not negotiated).
    public var minimumCompressedSize: Int

    /// Creates an agreement.
    public init(
        serverNoContextTakeover: Bool = false, clientNoContextTakeover: Bool = false,
        serverMaxWindowBits: Int = 15, clientMaxWindowBits: Int = 15, minimumCompressedSize: Int = 64
    ) {
        self.serverNoContextTakeover = serverNoContextTakeover
        self.clientNoContextTakeover = clientNoContextTakeover
        self.serverMaxWindowBits = serverMaxWindowBits
        self.clientMaxWindowBits = clientMaxWindowBits
        self.minimumCompressedSize = minimumCompressedSize
    }

    /// How one direction of the connection compresses.
    public struct Direction: Sendable, Hashable {
        /// Whether the context is reset after every message.
        public var noContextTakeover: Bool
        /// The LZ77 window, log2 (8...15).
        public var windowBits: Int

        /// Creates a direction.
        public init(noContextTakeover: Bool, windowBits: Int) {
            self.noContextTakeover = noContextTakeover
            self.windowBits = windowBits
        }
    }

    /// How `role` compresses what it sends.
    public func sending(as role: WebSocketStateMachine.Role) -> Direction {
        role == .server
            ? Direction(noContextTakeover: serverNoContextTakeover, windowBits: serverMaxWindowBits)
            : Direction(noContextTakeover: clientNoContextTakeover, windowBits: clientMaxWindowBits)
    }

    /// How the peer of `role` compresses what `role` receives.
    public func receiving(as role: WebSocketStateMachine.Role) -> Direction {
        sending(as: role == .server ? .client : .server)
    }
}

/// The parameters of one permessage-deflate offer or response, checked one
/// by one (RFC 7692 §7.1): known names only, each at most once, window sizes
/// 8...15 written without leading zeros.
struct PerMessageDeflateParameters: Equatable {
    static let extensionName = "permessage-deflate"

    var serverNoContextTakeover = false
    var clientNoContextTakeover = false
    var serverMaxWindowBits: Int?
    /// In an offer the value-less form means "any size I am told", i.e. 15.
    var clientMaxWindowBits: Int?

    /// Whether the parameters come from an offer (client) or a response (server):
    /// only an offer may carry `client_max_window_bits` without a value (§7.1.2.2).
    enum Source {
        case offer
        case response
    }

    /// Parses `element`'s parameters; `nil` if any is unknown, repeated or invalid.
    init?(_ element: WebSocketExtension, from source: Source) {
        var seen: Set<String> = []
        for parameter in element.parameters {
            guard seen.insert(parameter.name).inserted else { return nil }
            switch parameter.name {
            case "server_no_context_takeover":
                guard parameter.value == nil else { return nil }
                serverNoContextTakeover = true
            case "client_no_context_takeover":
                guard parameter.value == nil else { return nil }
                clientNoContextTakeover = true
            case "server_max_window_bits":
                guard let bits = parameter.value.flatMap(Self.windowBits) else { return nil }
                serverMaxWindowBits = bits
            case "client_max_window_bits":
                if let value = parameter.value {
                    guard let bits = Self.windowBits(value) else { return nil }
                    clientMaxWindowBits = bits
                } else {
                    guard source == .offer else { return nil }
                    clientMaxWindowBits = 15
                }
            default:
                return nil
            }
        }
    }

    /// A window size: "8" to "15", no sign, no leading zero (§7.1.2).
    static func windowBits(_ text: String) -> Int? {
        guard let first = text.utf8.first, first != UInt8(ascii: "0"), text.utf8.count <= 2,
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let bits = Int(text), (8...15).contains(bits)
        else { return nil }
        return bits
    }
}
