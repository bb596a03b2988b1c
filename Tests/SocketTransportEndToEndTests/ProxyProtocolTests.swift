import Dispatch
import Glibc
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

/// The PROXY protocol v2 on the accept path, against a real server on loopback:
/// read only from trusted peers, in pieces, within the handshake deadline; the
/// carried address is the peer the router and the per-address limits see.
@Suite(.serialized) struct ProxyProtocolTests {
    /// Answers every request with the peer it was given, so a test can read what the server believes.
    struct PeerRouter: HTTPRouter {
        func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
            .respond(.text(200, "peer \(peer)"))
        }
    }

    static func server(trusting entries: [String], _ configure: (inout TransportConfiguration) -> Void = { _ in })
        throws -> (WebSocketServer, Int)
    {
        var configuration = TransportConfiguration()
        configuration.trustedProxies = try TrustedProxies(entries)
        configure(&configuration)
        let server = WebSocketServer(configuration: configuration, router: PeerRouter(), logger: .init(label: "test"))
        return (server, try server.bind(host: "127.0.0.1", port: 0).port)
    }

    /// A v2 header for TCP over IPv4 from `a.b.c.d:port` (§2.2).
    static func header(_ address: [UInt8], port: UInt16) -> [UInt8] {
        ProxyHeaderParser.signature + [0x21, 0x11, 0, 12] + address + [127, 0, 0, 1]
            + [UInt8(port >> 8), UInt8(port & 0xFF), 0x01, 0xBB]
    }

    static let request = Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)

    /// Sends `bytes` in pieces of `piece` (each its own write) and reads the answer to the close.
    static func exchange(port: Int, _ bytes: [UInt8], piece: Int = .max) throws -> String {
        let socket = try RawSocket(port: port)
        var index = 0
        while index < bytes.count {  // bounded by bytes.count
            let end = min(index + piece, bytes.count)
            socket.write(Array(bytes[index..<end]))
            index = end
        }
        return String(decoding: socket.readUntilClosed().bytes, as: UTF8.self)
    }

    @Test(arguments: [1, 7, 16, 1000])
    func theCarriedAddressIsThePeerWhateverTheReads(piece: Int) throws {
        let (server, port) = try Self.server(trusting: ["127.0.0.0/8"])
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let answer = try Self.exchange(
            port: port, Self.header([192, 0, 2, 44], port: 5150) + Self.request, piece: piece)
        #expect(answer.hasPrefix("HTTP/1.1 200"))
        #expect(answer.contains("peer 192.0.2.44:5150"))
        #expect(server.statistics.proxyHeadersAccepted.load(ordering: .relaxed) == 1)
    }

    @Test func anUntrustedPeerIsNeverReadForAHeader() throws {
        let (server, port) = try Self.server(trusting: ["10.0.0.0/8"])
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        // The forged header is the start of an HTTP request here: 400, and the peer stays itself.
        let forged = try Self.exchange(port: port, Self.header([192, 0, 2, 44], port: 5150) + Self.request)
        #expect(forged.hasPrefix("HTTP/1.1 400"))
        let plain = try Self.exchange(port: port, Self.request)
        #expect(plain.contains("peer 127.0.0.1:"))
        #expect(server.statistics.proxyHeadersAccepted.load(ordering: .relaxed) == 0)
    }

    @Test func aTrustedPeerWithoutAHeaderIsClosedAndCounted() throws {
        let (server, port) = try Self.server(trusting: ["127.0.0.1"])
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        #expect(try Self.exchange(port: port, Self.request) == "")
        #expect(server.statistics.proxyHeaderFailures.load(ordering: .relaxed) == 1)
        // A v1 text header is refused too (only v2 is spoken).
        let v1 = Array("PROXY TCP4 192.0.2.44 127.0.0.1 5150 443\r\n".utf8) + Self.request
        #expect(try Self.exchange(port: port, v1) == "")
        #expect(server.statistics.proxyHeaderFailures.load(ordering: .relaxed) == 2)
    }

    @Test func aHeaderThatNeverCompletesMeetsTheHandshakeDeadline() throws {
        let (server, port) = try Self.server(trusting: ["127.0.0.1"]) {
            $0.handshakeTimeout = .milliseconds(200)
            $0.timerResolution = .milliseconds(50)
        }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let socket = try RawSocket(port: port)
        socket.write(Array(Self.header([192, 0, 2, 44], port: 5150).prefix(20)))
        let (bytes, closed) = socket.readUntilClosed(timeout: .seconds(5))
        #expect(closed && bytes.isEmpty)
        #expect(server.statistics.proxyHeaderFailures.load(ordering: .relaxed) == 1)
        #expect(server.statistics.timedOut.load(ordering: .relaxed) == 1)
    }

    @Test func perAddressLimitsCountTheCarriedAddressNotTheProxy() throws {
        let (server, port) = try Self.server(trusting: ["127.0.0.1"]) {
            $0.maxConnectionsPerAddress = 1
            $0.handshakesPerSecondPerAddress = 0
        }
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        // 192.0.2.1 holds one connection open (its header, no request yet).
        let holder = try RawSocket(port: port)
        holder.write(Self.header([192, 0, 2, 1], port: 1000))
        let deadline = DispatchTime.now() + .seconds(5)
        while server.statistics.proxyHeadersAccepted.load(ordering: .relaxed) < 1, DispatchTime.now() < deadline {
            usleep(1000)
        }
        // A second one from it, through the same proxy, is over its limit.
        let refused = try Self.exchange(port: port, Self.header([192, 0, 2, 1], port: 1001) + Self.request)
        #expect(refused.hasPrefix("HTTP/1.1 503"))
        #expect(refused.contains("too many connections from this address"))
        #expect(server.statistics.refusedAddressConnections.load(ordering: .relaxed) == 1)
        // Another client behind the same proxy is not.
        let other = try Self.exchange(port: port, Self.header([192, 0, 2, 2], port: 1002) + Self.request)
        #expect(other.contains("peer 192.0.2.2:1002"))
        holder.write(Self.request)
        #expect(String(decoding: holder.readUntilClosed().bytes, as: UTF8.self).contains("peer 192.0.2.1:1000"))
    }
}
