import Dispatch
import Glibc
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

/// Per-address limits at accept, against a real server on loopback; the
/// handshake bucket runs on a fake clock, advanced by exact amounts.
@Suite(.serialized) struct AddressLimitTests {
    /// A server on 127.0.0.1 whose per-address bucket reads `clock`.
    static func server(_ configure: (inout TransportConfiguration) -> Void, clock: LockedValue<UInt64>) throws
        -> (WebSocketServer, Int)
    {
        var configuration = TransportConfiguration()
        configure(&configuration)
        let server = WebSocketServer(
            configuration: configuration, router: EchoRouter(),
            logger: .init(label: "test"), clock: { clock.current })
        let address = try server.bind(host: "127.0.0.1", port: 0)
        return (server, address.port)
    }

    /// What the server sends a connection that says nothing, up to its close.
    static func answer(port: Int) throws -> String {
        let socket = try RawSocket(port: port)
        return String(decoding: socket.readUntilClosed().bytes, as: UTF8.self)
    }

    /// Waits (bounded) until the server holds `count` connections.
    static func waitForOpen(_ server: WebSocketServer, _ count: Int) -> Bool {
        let deadline = DispatchTime.now() + .seconds(5)
        while server.statistics.openConnections.load(ordering: .relaxed) != count {
            if DispatchTime.now() > deadline { return false }
            usleep(1000)
        }
        return true
    }

    @Test func openConnectionsPerAddressAreCapped() async throws {
        let clock = LockedValue<UInt64>(1_000_000_000)
        let (server, port) = try Self.server(
            {
                $0.maxConnectionsPerAddress = 2
                $0.handshakesPerSecondPerAddress = 0
            }, clock: clock)
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let first = try await TestClient.connect(port: port)
        let second = try await TestClient.connect(port: port)
        let refused = try Self.answer(port: port)
        #expect(refused.hasPrefix("HTTP/1.1 503"))
        #expect(refused.contains("Retry-After: 5"))
        #expect(refused.contains("too many connections from this address"))
        #expect(server.statistics.refusedAddressConnections.load(ordering: .relaxed) == 1)
        #expect(server.statistics.refusedOverCapacity.load(ordering: .relaxed) == 0)
        // The two admitted connections are unaffected.
        first.send(text: "a")
        await #expect(first.nextMessage() == .text("a"))
        // When one leaves, its place is free again.
        second.close()
        await #expect(second.waitForClose() != nil)
        #expect(Self.waitForOpen(server, 1))
        let third = try await TestClient.connect(port: port)
        third.send(text: "c")
        await #expect(third.nextMessage() == .text("c"))
        #expect(server.statistics.refusedAddressConnections.load(ordering: .relaxed) == 1)
    }

    @Test func newConnectionsPerAddressFollowTheTokenBucket() async throws {
        let clock = LockedValue<UInt64>(5_000_000_000)
        let (server, port) = try Self.server(
            {
                $0.maxConnectionsPerAddress = 0
                $0.handshakesPerSecondPerAddress = 2
                $0.handshakeBurstPerAddress = 3
            }, clock: clock)
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        // A burst of three is admitted, the fourth is refused.
        var clients: [TestClient] = []
        for _ in 0..<3 { clients.append(try await TestClient.connect(port: port)) }
        let refused = try Self.answer(port: port)
        #expect(refused.hasPrefix("HTTP/1.1 503"))
        #expect(refused.contains("Retry-After: 1"))
        #expect(refused.contains("too many new connections from this address"))
        #expect(server.statistics.refusedAddressHandshakeRate.load(ordering: .relaxed) == 1)
        // Closing connections gives back no tokens: only time does.
        clients[0].close()
        await #expect(clients[0].waitForClose() != nil)
        #expect(try Self.answer(port: port).hasPrefix("HTTP/1.1 503"))
        // 0.4 s at 2/s is 0.8 of a token: still refused.
        clock.withLock { $0 += 400_000_000 }
        #expect(try Self.answer(port: port).hasPrefix("HTTP/1.1 503"))
        // 0.1 s more completes one token: exactly one more connection.
        clock.withLock { $0 += 100_000_000 }
        let late = try await TestClient.connect(port: port)
        late.send(text: "late")
        await #expect(late.nextMessage() == .text("late"))
        #expect(try Self.answer(port: port).hasPrefix("HTTP/1.1 503"))
        #expect(server.statistics.refusedAddressHandshakeRate.load(ordering: .relaxed) == 4)
        // The bucket never holds more than the burst, however long it waits.
        clock.withLock { $0 += 3_600_000_000_000 }
        for _ in 0..<3 { clients.append(try await TestClient.connect(port: port)) }
        #expect(try Self.answer(port: port).hasPrefix("HTTP/1.1 503"))
        #expect(server.statistics.refusedAddressHandshakeRate.load(ordering: .relaxed) == 5)
        for client in clients { client.send(text: "x") }
        for client in clients.dropFirst() { await #expect(client.nextMessage() == .text("x")) }
    }

    @Test func zeroTurnsBothLimitsOff() async throws {
        let clock = LockedValue<UInt64>(0)
        let (server, port) = try Self.server(
            {
                $0.maxConnectionsPerAddress = 0
                $0.handshakesPerSecondPerAddress = 0
                $0.handshakeBurstPerAddress = 1
            }, clock: clock)
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        var clients: [TestClient] = []
        for _ in 0..<8 { clients.append(try await TestClient.connect(port: port)) }
        #expect(server.statistics.refusedAddressConnections.load(ordering: .relaxed) == 0)
        #expect(server.statistics.refusedAddressHandshakeRate.load(ordering: .relaxed) == 0)
        #expect(clients.count == 8)
    }
}
