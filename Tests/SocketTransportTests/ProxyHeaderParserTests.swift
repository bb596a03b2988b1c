import SocketTransport
import Testing

/// PROXY protocol v2 vectors (haproxy doc/proxy-protocol.txt §2.2), each fed
/// whole, one byte at a time and split at every point.
@Suite struct ProxyHeaderParserTests {
    static let signature = ProxyHeaderParser.signature
    /// What follows the header: the client's first bytes.
    static let request = Array("GET / HTTP/1.1\r\n".utf8)

    /// A header: version 2, `command`, `family`, and `block` (addresses and TLVs).
    static func header(command: UInt8 = 1, family: UInt8, block: [UInt8]) -> [UInt8] {
        signature + [0x20 | command, family, UInt8(block.count >> 8), UInt8(block.count & 0xFF)] + block
    }

    /// TCP over IPv4, 192.0.2.7:51234 to 198.51.100.1:443, as HAProxy sends it.
    static let tcp4 = header(family: 0x11, block: [192, 0, 2, 7, 198, 51, 100, 1, 0xC8, 0x22, 0x01, 0xBB])
    /// TCP over IPv6, 2001:db8::5 port 40000 to 2001:db8::1 port 8080.
    static let tcp6 = header(
        family: 0x21,
        block: [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [5]
            + [0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1] + [0x9C, 0x40, 0x1F, 0x90])

    /// Feeds `bytes` in chunks of `size`; the outcome, with the bytes not fed yet
    /// appended to a complete header's leftover.
    static func parse(_ bytes: [UInt8], chunk size: Int) throws(ProxyHeaderParser.Failure) -> (ProxyHeader, [UInt8])? {
        var parser = ProxyHeaderParser()
        var index = 0
        while index < bytes.count {
            let end = min(index + size, bytes.count)
            let outcome = try Array(bytes[index..<end]).withUnsafeBytes { raw in
                Result { () throws(ProxyHeaderParser.Failure) in try parser.parse(raw) }
            }.get()
            if case .complete(let header, let leftover) = outcome { return (header, leftover + bytes[end...]) }
            #expect(parser.bufferedCount <= 16 + ProxyHeaderParser.defaultMaxAddressLength)
            index = end
        }
        return nil
    }

    /// Every way of cutting `bytes` in two, plus whole and byte by byte.
    static func everySplit(_ bytes: [UInt8]) -> [[[UInt8]]] {
        var splits = [[bytes], bytes.map { [$0] }]
        for cut in 1..<bytes.count { splits.append([Array(bytes[..<cut]), Array(bytes[cut...])]) }
        return splits
    }

    static func parse(pieces: [[UInt8]]) throws(ProxyHeaderParser.Failure) -> (ProxyHeader, [UInt8])? {
        var parser = ProxyHeaderParser()
        for (number, piece) in pieces.enumerated() {
            let outcome = try piece.withUnsafeBytes { raw in
                Result { () throws(ProxyHeaderParser.Failure) in try parser.parse(raw) }
            }.get()
            if case .complete(let header, let leftover) = outcome {
                return (header, leftover + pieces[(number + 1)...].joined())
            }
        }
        return nil
    }

    @Test func tcp4CarriesTheClientInEverySplit() throws {
        for pieces in Self.everySplit(Self.tcp4 + Self.request) {
            let (header, leftover) = try #require(try Self.parse(pieces: pieces))
            let client = try #require(header.client)
            #expect(client.description == "192.0.2.7:51234")
            guard case .proxied(_, let destination) = header else { Issue.record("not proxied"); return }
            #expect(destination.description == "198.51.100.1:443")
            #expect(leftover == Self.request)
        }
    }

    @Test func tcp6CarriesTheClientInEverySplit() throws {
        for pieces in Self.everySplit(Self.tcp6 + Self.request) {
            let (header, leftover) = try #require(try Self.parse(pieces: pieces))
            #expect(header.client?.description == "[2001:db8::5]:40000")
            #expect(leftover == Self.request)
        }
    }

    @Test func localIsAHealthCheckWhateverItsFamily() throws {
        // HAProxy's checks: LOCAL, UNSPEC, no block; the family of a LOCAL is ignored (§2.2).
        for family: UInt8 in [0x00, 0x11, 0x21, 0x45] {
            let bytes = Self.header(
                command: 0, family: family, block: family == 0x11 ? Array(repeating: 1, count: 12) : [])
            for pieces in Self.everySplit(bytes + Self.request) {
                let (header, leftover) = try #require(try Self.parse(pieces: pieces))
                #expect(header == .local)
                #expect(leftover == Self.request)
            }
        }
    }

    @Test func unspecifiedAndUnimplementedFamiliesFallBackToTheSocketsAddress() throws {
        // PROXY over UNSPEC, UDP and UNIX: the valid combinations we do not implement (§2.2).
        let cases: [(UInt8, Int)] = [(0x00, 0), (0x12, 12), (0x22, 36), (0x31, 216), (0x32, 216)]
        for (family, length) in cases {
            let bytes = Self.header(family: family, block: Array(repeating: 7, count: length))
            let (header, leftover) = try #require(try Self.parse(bytes + Self.request, chunk: 5))
            #expect(header == .unspecified)
            #expect(header.client == nil)
            #expect(leftover == Self.request)
        }
    }

    @Test func tlvsAreSkippedWhenTheyFit() throws {
        // PP2_TYPE_ALPN "h2", PP2_TYPE_AUTHORITY "example.org", PP2_TYPE_NOOP of 0 bytes.
        let tlvs: [UInt8] =
            [0x01, 0, 2] + Array("h2".utf8) + [0x02, 0, 11] + Array("example.org".utf8) + [0x04, 0, 0]
        let bytes = Self.header(family: 0x11, block: Array(Self.tcp4[16...]) + tlvs)
        for pieces in Self.everySplit(bytes + Self.request) {
            let (header, leftover) = try #require(try Self.parse(pieces: pieces))
            #expect(header.client?.description == "192.0.2.7:51234")
            #expect(leftover == Self.request)
        }
    }

    @Test(
        arguments: [
            [0x01, 0, 5, 1, 2],  // declares 5 bytes, has 2
            [0x01, 0],  // a TLV header cut short
            [0x01],
        ] as [[UInt8]])
    func tlvRunningPastTheBlockIsRefused(tlv: [UInt8]) {
        let bytes = Self.header(family: 0x11, block: Array(Self.tcp4[16...]) + tlv)
        #expect(throws: ProxyHeaderParser.Failure.badTLV) { _ = try Self.parse(bytes, chunk: 3) }
    }

    @Test func truncatedAtEveryByteNeedsMore() throws {
        for header in [Self.tcp4, Self.tcp6, Self.header(command: 0, family: 0, block: [])] {
            for cut in 0..<header.count {
                #expect(try Self.parse(Array(header[..<cut]), chunk: 1) == nil)
                #expect(try Self.parse(Array(header[..<cut]), chunk: 1000) == nil)
            }
        }
    }

    @Test func aWrongSignatureIsRefusedAtItsFirstWrongByte() {
        for index in Self.signature.indices {
            var bytes = Self.tcp4
            bytes[index] ^= 0x40
            var parser = ProxyHeaderParser()
            // Fed byte by byte: the byte that breaks the signature is the one refused.
            for (offset, byte) in bytes.enumerated() {
                let outcome = [byte].withUnsafeBytes { raw in
                    Result { () throws(ProxyHeaderParser.Failure) in try parser.parse(raw) }
                }
                if case .failure(let error) = outcome {
                    #expect(error == .badSignature)
                    #expect(offset == index)
                    break
                }
                #expect(offset < index)
            }
        }
    }

    @Test(arguments: ["GET / HTTP/1.1\r\n", "PROXY TCP4 192.0.2.7 198.51.100.1 51234 443\r\n", "\u{16}\u{3}\u{1}"])
    func otherProtocolsAndTheTextHeaderAreRefused(text: String) {
        // Version 1 (text) is not accepted: a trusted proxy is configured with send-proxy-v2.
        #expect(throws: ProxyHeaderParser.Failure.badSignature) { _ = try Self.parse(Array(text.utf8), chunk: 1) }
    }

    @Test(arguments: [0x10, 0x30, 0xF1, 0x01] as [UInt8])
    func versionOtherThanTwoIsRefused(versionCommand: UInt8) {
        var bytes = Self.tcp4
        bytes[12] = versionCommand
        #expect(throws: ProxyHeaderParser.Failure.badVersion) { _ = try Self.parse(bytes, chunk: 1) }
    }

    @Test(arguments: [0x22, 0x2F] as [UInt8])
    func unassignedCommandIsRefused(versionCommand: UInt8) {
        var bytes = Self.tcp4
        bytes[12] = versionCommand
        #expect(throws: ProxyHeaderParser.Failure.badCommand) { _ = try Self.parse(bytes, chunk: 4) }
    }

    @Test(arguments: [0x01, 0x10, 0x13, 0x41, 0xFF] as [UInt8])
    func invalidFamilyOfAProxyCommandIsRefused(family: UInt8) {
        let bytes = Self.header(family: family, block: Array(repeating: 0, count: 12))
        #expect(throws: ProxyHeaderParser.Failure.badFamily) { _ = try Self.parse(bytes, chunk: 64) }
    }

    @Test func addressesShorterThanTheirFamilyAreRefused() {
        let short4 = Self.header(family: 0x11, block: Array(repeating: 1, count: 11))
        let short6 = Self.header(family: 0x21, block: Array(repeating: 1, count: 12))
        #expect(throws: ProxyHeaderParser.Failure.shortAddresses) { _ = try Self.parse(short4, chunk: 64) }
        #expect(throws: ProxyHeaderParser.Failure.shortAddresses) { _ = try Self.parse(short6, chunk: 64) }
    }

    @Test func anOversizedLengthIsRefusedBeforeItsBlockArrives() throws {
        // Only the fixed 16 bytes, declaring 0xFFFF: refused at once, nothing more buffered.
        let fixed = Self.signature + [0x21, 0x11, 0xFF, 0xFF]
        #expect(throws: ProxyHeaderParser.Failure.tooLong) { _ = try Self.parse(fixed, chunk: 1) }
        // A block of exactly the limit fits; one byte more does not.
        let limit = ProxyHeaderParser.defaultMaxAddressLength
        let (header, _) = try #require(try Self.parse(Self.padded(toBlockLength: limit), chunk: 100))
        #expect(header.client?.description == "192.0.2.7:51234")
        #expect(throws: ProxyHeaderParser.Failure.tooLong) {
            _ = try Self.parse(Self.padded(toBlockLength: limit + 1), chunk: 100)
        }
    }

    /// The TCP4 header with one NOOP TLV (type 0x04) that makes its block `length` bytes long.
    static func padded(toBlockLength length: Int) -> [UInt8] {
        let value = length - 12 - 3
        return header(
            family: 0x11,
            block: Array(tcp4[16...]) + [0x04, UInt8(value >> 8), UInt8(value & 0xFF)]
                + Array(repeating: 0, count: value))
    }
}

@Suite struct TrustedProxiesTests {
    static func address(_ host: String) throws -> SocketAddress { try SocketAddress(host: host, port: 1) }

    @Test func addressesAndBlocksMatch() throws {
        let trusted = try TrustedProxies(["127.0.0.1", "10.1.0.0/16", " fd00::/8 ", "2001:db8::7"])
        #expect(trusted.contains(try Self.address("127.0.0.1")))
        #expect(!trusted.contains(try Self.address("127.0.0.2")))
        #expect(trusted.contains(try Self.address("10.1.255.9")))
        #expect(!trusted.contains(try Self.address("10.2.0.1")))
        #expect(trusted.contains(try Self.address("fd12:3456::1")))
        #expect(!trusted.contains(try Self.address("fe80::1")))
        #expect(trusted.contains(try Self.address("2001:db8::7")))
        #expect(!trusted.contains(try Self.address("2001:db8::8")))
        #expect(!trusted.isEmpty)
    }

    @Test func oddPrefixLengthsCompareBits() throws {
        let trusted = try TrustedProxies(["192.168.0.0/23"])
        #expect(trusted.contains(try Self.address("192.168.1.200")))
        #expect(!trusted.contains(try Self.address("192.168.2.1")))
        let everyone = try TrustedProxies(["0.0.0.0/0"])
        #expect(everyone.contains(try Self.address("203.0.113.9")))
        #expect(!everyone.contains(try Self.address("::1")))
    }

    @Test func emptyTrustsNobody() throws {
        #expect(TrustedProxies().isEmpty)
        #expect(!TrustedProxies().contains(try Self.address("127.0.0.1")))
    }

    @Test(arguments: ["localhost", "10.0.0.0/33", "::1/129", "10.0.0.1/", "10.0.0.1/+8", "10.0.0/8", "", "1.2.3.4/8/8"])
    func anythingElseIsRefusedByName(entry: String) {
        do {
            _ = try TrustedProxies(["127.0.0.1", entry])
            Issue.record("accepted \(entry)")
        } catch {
            #expect(error.entry == entry)
            #expect(error.description.contains("CIDR"))
        }
    }
}
