import SocketTransport
import TestSupportCore
import Testing
import TransportTestSupport
import WebSocketCore

/// Our client against our server over loopback, through the real `/echo` route.
@Suite(.serialized) struct EchoEndToEndTests {
    @Test func echoesTextAndBinary() async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        let client = try await TestClient.connect(port: harness.port)
        client.send(text: "héllo ☃ 🌊")
        await #expect(client.nextMessage() == .text("héllo ☃ 🌊"))
        client.send(.binary([0, 1, 2, 255]))
        await #expect(client.nextMessage() == .binary([0, 1, 2, 255]))
        client.send(text: "")
        await #expect(client.nextMessage() == .text(""))
        client.close(code: .normalClosure)
        await #expect(client.waitForClose() == .some(.normalClosure))
    }

    @Test func echoes16MiBMessage() async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        let client = try await TestClient.connect(port: harness.port)
        var generator = SplitMix64(seed: 16)
        let big = (0..<(16 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        client.send(.binary(big))
        await #expect(client.nextMessage(timeout: .seconds(30)) == .binary(big))
    }

    @Test func manyClientsEchoConcurrently() async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        var clients: [TestClient] = []
        for _ in 0..<50 { clients.append(try await TestClient.connect(port: harness.port)) }
        for (index, client) in clients.enumerated() { client.send(text: "client \(index)") }
        for (index, client) in clients.enumerated() {
            await #expect(client.nextMessage() == .text("client \(index)"))
        }
        #expect(harness.server.statistics.upgradedConnections.load(ordering: .relaxed) == 50)
    }

    @Test(
        arguments: [1000, 1001, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999]
            as [UInt16])
    func closeCodeIsEchoed(code: UInt16) async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        let client = try await TestClient.connect(port: harness.port)
        client.close(code: CloseCode(code), reason: "bye")
        await #expect(client.waitForClose() == .some(CloseCode(code)))
    }

    @Test func gracefulShutdownSendsGoingAway() async throws {
        let harness = try EchoHarness()
        let client = try await TestClient.connect(port: harness.port)
        client.send(text: "still here")
        await #expect(client.nextMessage() == .text("still here"))
        harness.stop(gracePeriod: .seconds(5))
        await #expect(client.waitForClose() == .some(.goingAway))
        #expect(harness.server.statistics.openConnections.load(ordering: .relaxed) == 0)
        await #expect(throws: (any Error).self) {
            _ = try await TestClient.connect(port: harness.port, timeout: .seconds(2))
        }
    }

    @Test func listensOnIPv6Loopback() async throws {
        let server = WebSocketServer(
            router: EchoRouter(), logger: .init(label: "test"))
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let address = try server.bind(host: "::1", port: 0)
        let client = try await TestClient.connect(port: address.port, host: "::1")
        client.send(text: "v6")
        await #expect(client.nextMessage() == .text("v6"))
    }

    @Test func clientReportsRefusalWithStatusAndReason() async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        do {
            _ = try await TestClient.connect(port: harness.port, path: "/nowhere")
            Issue.record("connected to a missing route")
        } catch let error as WebSocketClientError {
            #expect(error.refusalStatus == 404)
            #expect(error.refusalBody == "not found")
        }
    }

    @Test func connectToClosedPortFails() async throws {
        let harness = try EchoHarness()
        let port = harness.port
        harness.stop()
        await #expect(throws: WebSocketClientError.self) {
            _ = try await TestClient.connect(port: port, timeout: .seconds(5))
        }
    }
}
