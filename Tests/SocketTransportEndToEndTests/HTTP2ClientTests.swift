import Logging
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

/// Our client over HTTP/2 (RFC 8441) against our server on loopback: ALPN
/// selects h2 over TLS (or h2c with prior knowledge), several WebSockets of
/// one `WebSocketClientPool` share one TCP connection (the server accepted
/// one, and counts one h2 connection with N WebSocket streams), one closing
/// or refused leaves the others, and the connection's death reaches them all.
@Suite(.serialized) struct HTTP2ClientTests {
    /// A server with `HTTP2TestRouter` (`/echo`, `/refused` 401 "bad token",
    /// everything else 404), over TLS with the dev certificates unless `tls` is false.
    final class Server: Sendable {
        let server: WebSocketServer
        let port: Int

        init(tls: Bool = true, http2: Bool = true) throws {
            var configuration = TransportConfiguration()
            configuration.timerResolution = .milliseconds(50)
            configuration.http2.enabled = http2
            server = WebSocketServer(
                configuration: configuration, router: HTTP2TestRouter(), logger: Logger(label: "test"))
            if tls { try server.configureTLS(try DevCertificates.server()) }
            port = try server.bind(host: "127.0.0.1", port: 0).port
        }

        var accepted: Int { server.statistics.acceptedConnections.load(ordering: .relaxed) }
        var h2Connections: Int { server.statistics.http2.connections.load(ordering: .relaxed) }
        var h2WebSockets: Int { server.statistics.http2.webSocketStreams.load(ordering: .relaxed) }

        func stop(gracePeriod: Duration = .seconds(1)) { server.shutdown(gracePeriod: gracePeriod) }
    }

    private func connect(
        _ pool: WebSocketClientPool, _ server: Server, path: String = "/echo", tls: Bool = true,
        http2: HTTP2ClientMode = .negotiate
    ) async throws -> TestClient {
        try await TestClient.connect(
            through: pool, port: server.port, path: path, tls: tls ? try DevCertificates.client() : nil, http2: http2)
    }

    @Test func threeWebSocketsShareOneTLSConnectionAndOneClosingLeavesTheOthers() async throws {
        let server = try Server()
        defer { server.stop() }
        let pool = WebSocketClientPool(loop: TestLoops.shared.next())
        var clients: [TestClient] = []
        for _ in 0..<3 { clients.append(try await connect(pool, server)) }
        for (index, client) in clients.enumerated() { client.send(text: "room \(index) über h2") }
        for (index, client) in clients.enumerated() {
            await #expect(client.nextMessage() == .text("room \(index) über h2"))
        }
        #expect(server.accepted == 1)
        #expect(server.h2Connections == 1)
        #expect(server.h2WebSockets == 3)
        #expect(pool.connectionCount == 1)
        clients[1].close(code: .normalClosure)
        await #expect(clients[1].waitForClose() == .some(.normalClosure))
        for index in [0, 2] {
            clients[index].send(.binary([UInt8(index), 0xff]))
            await #expect(clients[index].nextMessage() == .binary([UInt8(index), 0xff]))
        }
        // A fourth WebSocket joins the same connection.
        let fourth = try await connect(pool, server)
        fourth.send(text: "late")
        await #expect(fourth.nextMessage() == .text("late"))
        #expect(server.accepted == 1)
        #expect(server.h2WebSockets == 4)
        for client in [clients[0], clients[2], fourth] {
            client.close()
            await #expect(client.waitForClose() == .some(.normalClosure))
        }
    }

    @Test func cleartextWithPriorKnowledgeSharesOneConnection() async throws {
        let server = try Server(tls: false)
        defer { server.stop() }
        let pool = WebSocketClientPool(loop: TestLoops.shared.next())
        let first = try await connect(pool, server, tls: false, http2: .priorKnowledge)
        let second = try await connect(pool, server, tls: false, http2: .priorKnowledge)
        first.send(text: "one")
        second.send(text: "two")
        await #expect(first.nextMessage() == .text("one"))
        await #expect(second.nextMessage() == .text("two"))
        #expect(server.accepted == 1)
        #expect(server.h2WebSockets == 2)
    }

    @Test func aRefusalIsTheSameErrorAsOverHTTP1AndLeavesTheOtherStreams() async throws {
        let server = try Server()
        defer { server.stop() }
        let pool = WebSocketClientPool(loop: TestLoops.shared.next())
        let member = try await connect(pool, server)
        var overHTTP2: WebSocketClientError?
        do {
            _ = try await connect(pool, server, path: "/refused")
        } catch let error as WebSocketClientError {
            overHTTP2 = error
        }
        var overHTTP1: WebSocketClientError?
        do {
            _ = try await connect(pool, server, path: "/refused", http2: .off)
        } catch let error as WebSocketClientError {
            overHTTP1 = error
        }
        #expect(overHTTP2?.refusalStatus == 401)
        #expect(overHTTP2?.refusalBody == "bad token")
        #expect(overHTTP2 == overHTTP1)
        member.send(text: "still here")
        await #expect(member.nextMessage() == .text("still here"))
        #expect(server.accepted == 2)  // the HTTP/1.1 comparison had its own
        #expect(server.h2Connections == 1)
    }

    @Test func theServerGoingAwayClosesEveryStream() async throws {
        let server = try Server()
        let pool = WebSocketClientPool(loop: TestLoops.shared.next())
        var clients: [TestClient] = []
        for _ in 0..<3 { clients.append(try await connect(pool, server)) }
        clients[0].send(text: "up")
        await #expect(clients[0].nextMessage() == .text("up"))
        #expect(server.accepted == 1)
        server.stop(gracePeriod: .zero)
        for client in clients { await #expect(client.waitForClose() != nil) }
    }

    @Test func aServerWithoutH2GetsAConnectionPerWebSocket() async throws {
        let server = try Server(http2: false)
        defer { server.stop() }
        let pool = WebSocketClientPool(loop: TestLoops.shared.next())
        let first = try await connect(pool, server)
        let second = try await connect(pool, server)
        first.send(text: "a")
        second.send(text: "b")
        await #expect(first.nextMessage() == .text("a"))
        await #expect(second.nextMessage() == .text("b"))
        #expect(server.accepted == 2)
        #expect(server.h2Connections == 0)
    }

    @Test func aDroppedConnectionClosesEveryStreamWithoutACode() async throws {
        let server = try Server()
        defer { server.stop() }
        let pool = WebSocketClientPool(loop: TestLoops.shared.next())
        var clients: [TestClient] = []
        for _ in 0..<3 { clients.append(try await connect(pool, server)) }
        clients[2].send(text: "up")
        await #expect(clients[2].nextMessage() == .text("up"))
        pool.interrupt()  // the socket closed under the streams, as when the network drops
        for client in clients { await #expect(client.waitForClose() == .some(nil)) }
        // The next WebSocket makes a new connection.
        let again = try await connect(pool, server)
        again.send(text: "again")
        await #expect(again.nextMessage() == .text("again"))
        #expect(server.accepted == 2)
        #expect(server.h2Connections == 2)
    }
}
