/// An incremental parser for the binary header of the PROXY protocol, version 2
/// (haproxy's doc/proxy-protocol.txt §2.2), which a trusted proxy sends first on
/// every connection it opens to us, to say whose connection it carries.
///
/// Pure and bounded: it holds at most `16 + maxAddressLength` bytes, refuses a
/// stream the moment it stops matching the 12-byte signature (so a peer that is
/// not a proxy is told apart after its first byte), and checks the declared
/// length before buffering what it declares. The text form (version 1, `PROXY
/// TCP4 …`) is refused: it does not start with the signature; a proxy we trust
/// is configured to send version 2 (`send-proxy-v2`).
///
/// TLVs (§2.2.7) are walked to check that each fits in the block, then skipped:
/// we need nothing of them.
public struct ProxyHeaderParser: Sendable {
    /// Why a header was refused. The connection is closed; the reason is safe to log
    /// (it holds no byte of the input).
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        private enum Kind: Sendable, Hashable {
            case badSignature, badVersion, badCommand, badFamily, shortAddresses, tooLong, badTLV
        }

        private let kind: Kind

        /// The stream does not start with the 12-byte signature (not a v2 header; a v1 text header too).
        public static let badSignature = Failure(kind: .badSignature)
        /// The version nibble of byte 13 is not 2 (§2.2: "the receiver must only accept this value").
        public static let badVersion = Failure(kind: .badVersion)
        /// The command nibble is neither LOCAL (0) nor PROXY (1) (§2.2: "must drop").
        public static let badCommand = Failure(kind: .badCommand)
        /// Byte 14 is none of the combinations §2.2 lists (`\x00 \x11 \x12 \x21 \x22 \x31 \x32`).
        public static let badFamily = Failure(kind: .badFamily)
        /// The declared length is shorter than the addresses of the declared family.
        public static let shortAddresses = Failure(kind: .shortAddresses)
        /// The declared length is over `maxAddressLength`.
        public static let tooLong = Failure(kind: .tooLong)
        /// A TLV runs past the end of the block.
        public static let badTLV = Failure(kind: .badTLV)

        /// A short reason, for logs and tests.
        public var description: String {
            switch kind {
            case .badSignature: "no PROXY protocol v2 signature"
            case .badVersion: "PROXY protocol version is not 2"
            case .badCommand: "PROXY protocol command is neither LOCAL nor PROXY"
            case .badFamily: "PROXY protocol address family or transport is invalid"
            case .shortAddresses: "PROXY protocol block is shorter than its addresses"
            case .tooLong: "PROXY protocol header is over the length limit"
            case .badTLV: "PROXY protocol TLV runs past the end of the header"
            }
        }
    }

    /// The outcome of feeding bytes.
    public enum Outcome: Sendable, Equatable {
        /// The header is not complete yet.
        case needMoreBytes
        /// The header, and the bytes that followed it (the client's first bytes: TLS or HTTP).
        case complete(ProxyHeader, leftover: [UInt8])
    }

    /// The 12-byte signature (§2.2).
    public static let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]
    /// Signature, version and command, family, length.
    static let fixedLength = 16
    /// The default bound on the block after the fixed 16 bytes (addresses and TLVs): 2 KiB.
    /// HAProxy's addresses take 12 (IPv4) or 36 (IPv6) bytes; its optional TLVs
    /// (`proxy-v2-options` authority, ssl, unique-id, crc32c…) a few hundred.
    public static let defaultMaxAddressLength = 2048

    /// Largest block after the fixed 16 bytes accepted.
    public let maxAddressLength: Int
    private var buffer: [UInt8] = []

    /// Bytes held while the header is incomplete (at most `16 + maxAddressLength`).
    public var bufferedCount: Int { buffer.count }

    /// Creates a parser that accepts a block of at most `maxAddressLength` bytes after the fixed 16.
    public init(maxAddressLength: Int = ProxyHeaderParser.defaultMaxAddressLength) {
        self.maxAddressLength = max(0, maxAddressLength)
    }

    /// Appends `bytes` and tries to read the header. After `complete` or a
    /// failure the parser is spent: feed it nothing more.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> Outcome {
        let wanted = buffer.count < Self.fixedLength ? Self.fixedLength : try declaredTotal()
        let taken = min(bytes.count, max(0, wanted - buffer.count))
        buffer.append(contentsOf: bytes.prefix(taken))
        try checkSignature()
        guard buffer.count >= Self.fixedLength else { return .needMoreBytes }
        let total = try declaredTotal()
        if buffer.count < total {
            // The fixed part just became whole: take what else arrived, up to the declared end.
            let more = min(bytes.count - taken, total - buffer.count)
            buffer.append(contentsOf: bytes[taken..<(taken + more)])
            guard buffer.count == total else { return .needMoreBytes }
            return .complete(try Self.header(buffer), leftover: Array(bytes[(taken + more)...]))
        }
        return .complete(try Self.header(buffer), leftover: Array(bytes[taken...]))
    }

    /// The signature bytes read so far match.
    private func checkSignature() throws(Failure) {
        let compared = min(buffer.count, Self.signature.count)
        guard buffer.prefix(compared).elementsEqual(Self.signature.prefix(compared)) else { throw .badSignature }
    }

    /// 16 + the length of bytes 15–16, once the fixed part is read; checks version, command and bound first.
    private func declaredTotal() throws(Failure) -> Int {
        guard buffer[12] >> 4 == 2 else { throw .badVersion }
        guard buffer[12] & 0x0F <= 1 else { throw .badCommand }
        let length = Int(buffer[14]) << 8 | Int(buffer[15])
        guard length <= maxAddressLength else { throw .tooLong }
        return Self.fixedLength + length
    }

    /// The meaning of a whole header (`bytes.count == 16 + length`).
    static func header(_ bytes: [UInt8]) throws(Failure) -> ProxyHeader {
        let block = bytes[fixedLength...]
        let isLocal = bytes[12] & 0x0F == 0
        let family = bytes[13]
        guard let addressLength = addressLength(family: family) else {
            // LOCAL ignores the family (§2.2: "discard the protocol block including the family").
            if isLocal { return .local }
            throw .badFamily
        }
        guard block.count >= addressLength else {
            if isLocal { return .local }
            throw .shortAddresses
        }
        try checkTLVs(block.dropFirst(addressLength))
        if isLocal { return .local }
        let start = block.startIndex
        switch family {
        case 0x11:
            return .proxied(
                source: .ipv4(bytes[start..<(start + 4)], port: port(bytes, at: start + 8)),
                destination: .ipv4(bytes[(start + 4)..<(start + 8)], port: port(bytes, at: start + 10)))
        case 0x21:
            return .proxied(
                source: .ipv6(bytes[start..<(start + 16)], port: port(bytes, at: start + 32)),
                destination: .ipv6(bytes[(start + 16)..<(start + 32)], port: port(bytes, at: start + 34)))
        default:
            // UNSPEC, and the valid combinations we do not implement (UDP, UNIX), fall back
            // to UNSPEC as §2.2 requires of a receiver: the real endpoints are used.
            return .unspecified
        }
    }

    /// The address bytes of a valid family/transport byte (§2.2's list); nil for any other byte.
    private static func addressLength(family: UInt8) -> Int? {
        switch family {
        case 0x00: 0
        case 0x11, 0x12: 12
        case 0x21, 0x22: 36
        case 0x31, 0x32: 216
        default: nil
        }
    }

    /// Every TLV (type, 16-bit length, value) ends within the block.
    private static func checkTLVs(_ tlvs: ArraySlice<UInt8>) throws(Failure) {
        var index = tlvs.startIndex
        while index < tlvs.endIndex {  // bounded: index grows by at least 3 each turn
            guard tlvs.endIndex - index >= 3 else { throw .badTLV }
            let length = Int(tlvs[index + 1]) << 8 | Int(tlvs[index + 2])
            guard tlvs.endIndex - index - 3 >= length else { throw .badTLV }
            index += 3 + length
        }
    }

    private static func port(_ bytes: [UInt8], at index: Int) -> Int {
        Int(bytes[index]) << 8 | Int(bytes[index + 1])
    }
}

/// What a PROXY protocol v2 header says about the connection it opens.
public enum ProxyHeader: Sendable, Hashable {
    /// The proxy's own connection (a health check): the socket's endpoints are the real ones.
    case local
    /// A relayed TCP connection: the client's address and the one it connected to.
    case proxied(source: SocketAddress, destination: SocketAddress)
    /// A relayed connection of an unspecified (or UDP, or UNIX) family: the socket's
    /// endpoints stand in, as §2.2 allows.
    case unspecified

    /// The client address the header carries, if any.
    public var client: SocketAddress? {
        switch self {
        case .proxied(let source, _): source
        case .local, .unspecified: nil
        }
    }
}
