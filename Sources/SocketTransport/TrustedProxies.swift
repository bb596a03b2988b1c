import Glibc

/// The peers allowed to open a connection with a PROXY protocol v2 header
/// (``ProxyHeaderParser``): addresses and CIDR blocks, IPv4 or IPv6.
///
/// A connection from one of them must start with a valid header, whose client
/// address then stands for the peer everywhere; a connection from anyone else
/// is never read for a header, so a client cannot claim another's address.
/// Empty (the default): the PROXY protocol is off.
public struct TrustedProxies: Sendable, Hashable {
    /// One entry: the leading `prefixLength` bits of `address` (4 or 16 bytes).
    struct Block: Sendable, Hashable {
        let family: Int32
        let address: [UInt8]
        let prefixLength: Int

        func contains(family: Int32, address other: [UInt8]) -> Bool {
            guard family == self.family, other.count == address.count else { return false }
            var bits = prefixLength
            for (mine, theirs) in zip(address, other) where bits > 0 {
                let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
                guard mine & mask == theirs & mask else { return false }
                bits -= 8
            }
            return true
        }
    }

    /// Why an entry was refused.
    public struct InvalidEntry: Error, Sendable, Hashable, CustomStringConvertible {
        /// The entry as written.
        public let entry: String
        /// For the operator.
        public var description: String {
            "'\(entry)' is not an IPv4 or IPv6 address or CIDR block (such as 10.0.0.5, 10.0.0.0/24 or fd00::/8)"
        }
    }

    private(set) var blocks: [Block] = []

    /// None: the PROXY protocol is off.
    public init() {}

    /// Parses `entries`: numeric addresses (`10.0.0.5`, `::1`) and CIDR blocks
    /// (`10.0.0.0/24`, `fd00::/8`); throws on the first entry that is neither.
    public init(_ entries: [String]) throws(InvalidEntry) {
        for entry in entries {
            guard let block = Self.block(entry.trimmingSpaces) else { throw InvalidEntry(entry: entry) }
            blocks.append(block)
        }
    }

    /// Whether no proxy is trusted (the PROXY protocol is off).
    public var isEmpty: Bool { blocks.isEmpty }

    /// Whether `peer` is one of the trusted proxies.
    public func contains(_ peer: SocketAddress) -> Bool {
        guard !blocks.isEmpty else { return false }
        let (family, address) = peer.addressBytes
        return blocks.contains { $0.contains(family: family, address: address) }
    }

    private static func block(_ text: String) -> Block? {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let host = String(parts[0])
        var v4 = in_addr()
        var v6 = in6_addr()
        let family: Int32
        let address: [UInt8]
        if inet_pton(AF_INET, host, &v4) == 1 {
            family = AF_INET
            address = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, host, &v6) == 1 {
            family = AF_INET6
            address = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
        let bits = address.count * 8
        guard parts.count == 2 else { return Block(family: family, address: address, prefixLength: bits) }
        guard let length = Int(parts[1]), (0...bits).contains(length), parts[1].allSatisfy({ ("0"..."9").contains($0) })
        else {
            return nil
        }
        return Block(family: family, address: address, prefixLength: length)
    }
}

extension SocketAddress {
    /// The family and the address bytes (4 or 16, network order), without the port.
    var addressBytes: (family: Int32, bytes: [UInt8]) {
        storage.withUnsafeBytes { raw in
            if family == AF_INET6 {
                var address = raw.load(as: sockaddr_in6.self).sin6_addr
                return (AF_INET6, withUnsafeBytes(of: &address) { Array($0) })
            }
            var address = raw.load(as: sockaddr_in.self).sin_addr
            return (AF_INET, withUnsafeBytes(of: &address) { Array($0) })
        }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
