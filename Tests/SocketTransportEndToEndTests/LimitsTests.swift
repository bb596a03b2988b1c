import Dispatch
import Testing
import TransportTestSupport
import WebSocketCore

@testable import SocketTransport

/// Limits and timeouts of the transport, against the real server.
@Suite(.serialized) struct LimitsTests {
    func response(to request: String, settings: EchoSettings = EchoSettings.echoTesting) async throws -> String {
        let harness = try EchoHarness(settings: settings)
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        socket.write(request)
        return String(decoding: socket.readUntilClosed().bytes, as: UTF8.self)
    }

    static func upgrade(path: String = "/echo", key: String = "dGhlIHNhbXBsZSBub25jZQ==", version: String = "13")
        -> String
    {
        "GET \(path) HTTP/1.1\r\nHost: a\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: \(version)\r\n\r\n"
    }

    @Test func handshakeRefusals() async throws {
        let plain = try await response(to: "GET /echo HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(plain.hasPrefix("HTTP/1.1 426"))
        let badKey = try await response(to: Self.upgrade(key: "c2hvcnQ="))
        #expect(badKey.hasPrefix("HTTP/1.1 400"))
        let badVersion = try await response(to: Self.upgrade(version: "8"))
        #expect(badVersion.hasPrefix("HTTP/1.1 426"))
        #expect(badVersion.contains("Sec-WebSocket-Version: 13"))
        let post = try await response(to: Self.upgrade().replacingPrefix("GET", with: "POST"))
        #expect(post.hasPrefix("HTTP/1.1 405"))
        let disabled = {
            var s = EchoSettings.echoTesting; s.echoEnabled = false; return s
        }()
        #expect(try await response(to: Self.upgrade(), settings: disabled).hasPrefix("HTTP/1.1 404"))
    }

    @Test func oversizeHeaderIs431() async throws {
        var settings = EchoSettings.echoTesting
        settings.transport.maxHeadLength = 2048
        let huge = "GET /echo HTTP/1.1\r\nHost: a\r\nX-Pad: \(String(repeating: "p", count: 4000))\r\n\r\n"
        #expect(try await response(to: huge, settings: settings).hasPrefix("HTTP/1.1 431"))
    }

    @Test func overCapacityGets503BeforeUpgrade() async throws {
        var settings = EchoSettings.echoTesting
        settings.transport.maxConnections = 2
        let harness = try EchoHarness(settings: settings)
        defer { harness.stop() }
        let first = try await TestClient.connect(port: harness.port)
        let second = try await TestClient.connect(port: harness.port)
        let third = try RawSocket(port: harness.port)
        third.write(Self.upgrade())
        #expect(String(decoding: third.readUntilClosed().bytes, as: UTF8.self).hasPrefix("HTTP/1.1 503"))
        #expect(harness.server.statistics.refusedOverCapacity.load(ordering: .relaxed) == 1)
        first.send(text: "a")
        second.send(text: "b")
        await #expect(first.nextMessage() == .text("a"))
        await #expect(second.nextMessage() == .text("b"))
    }

    @Test func slowLorisHandshakeIsTimedOut() async throws {
        var settings = EchoSettings.echoTesting
        settings.transport.handshakeTimeout = .milliseconds(300)
        settings.transport.timerResolution = .milliseconds(50)
        let harness = try EchoHarness(settings: settings)
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        socket.write("GET /echo HTTP/1.1\r\nHost: a\r\n")  // and then nothing more
        #expect(socket.readUntilClosed(timeout: .seconds(5)).closed)
        #expect(harness.server.statistics.timedOut.load(ordering: .relaxed) == 1)
    }

    @Test func silentPeerIsPingedThenClosedWithGoingAway() async throws {
        var settings = EchoSettings.echoTesting
        settings.transport.pingInterval = .milliseconds(200)
        settings.transport.idleTimeout = .milliseconds(600)
        settings.transport.closeTimeout = .milliseconds(300)
        settings.transport.timerResolution = .milliseconds(50)
        let harness = try EchoHarness(settings: settings)
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        #expect(socket.upgrade().hasPrefix("HTTP/1.1 101"))
        let (bytes, closed) = socket.readUntilClosed(timeout: .seconds(5))
        #expect(closed)
        #expect(Array(bytes.prefix(2)) == [0x89, 0x00], "a keep-alive ping comes first")
        #expect(RawProtocolTests.lastCloseCode(in: bytes) == 1001)
    }

    @Test func answeringPingsKeepsTheConnection() async throws {
        var settings = EchoSettings.echoTesting
        settings.transport.pingInterval = .milliseconds(100)
        settings.transport.idleTimeout = .milliseconds(400)
        settings.transport.timerResolution = .milliseconds(20)
        let harness = try EchoHarness(settings: settings)
        defer { harness.stop() }
        // Our client answers pings by itself; after several idle timeouts it still echoes.
        let client = try await TestClient.connect(port: harness.port)
        await #expect(client.next(timeout: .milliseconds(1200)) == nil)
        client.send(text: "alive")
        await #expect(client.nextMessage() == .text("alive"))
    }

    /// A sweep looks only at the connections whose deadlines are due: an open
    /// connection next when its keep-alive ping is, not at every sweep. (The
    /// test sweeps by hand, with the time it chooses.)
    @Test func aSweepChecksOnlyTheConnectionsThatAreDue() async throws {
        var settings = EchoSettings.echoTesting
        settings.transport.handshakeTimeout = .seconds(10)
        settings.transport.pingInterval = .seconds(30)
        settings.transport.idleTimeout = .seconds(75)
        settings.transport.timerResolution = .seconds(3600)  // no sweep of its own during the test
        let harness = try EchoHarness(settings: settings)
        defer { harness.stop() }
        var clients: [TestClient] = []
        for _ in 0..<3 { clients.append(try await TestClient.connect(port: harness.port)) }
        let start = DispatchTime.now().uptimeNanoseconds
        let loops = harness.server.loops
        func sweep(after seconds: UInt64) -> Int {
            loops.reduce(0) { checked, loop in checked + loop.sync { loop.sweep(now: start + seconds * 1_000_000_000) }
            }
        }
        #expect(sweep(after: 0) == 0, "just opened: the first check planned is the handshake's deadline")
        #expect(sweep(after: 11) == 3, "that check comes round once")
        #expect(sweep(after: 12) == 0)
        #expect(sweep(after: 29) == 0, "next: the keep-alive ping, 30 s after each was last heard from")
        #expect(sweep(after: 31) == 3)
        #expect(sweep(after: 32) == 0)
        for client in clients {
            client.send(text: "still here")  // our client has answered the ping too
            await #expect(client.nextMessage() == .text("still here"))
        }
    }

    @Test func slowConsumerIsDroppedAndOthersCarryOn() async throws {
        var settings = EchoSettings.echoTesting
        settings.echoMaxQueuedBytes = 256 * 1024
        settings.transport.closeTimeout = .milliseconds(300)
        settings.transport.timerResolution = .milliseconds(50)
        let harness = try EchoHarness(settings: settings)
        defer { harness.stop() }
        let slow = try RawSocket(port: harness.port, receiveBufferSize: 4096)
        #expect(slow.upgrade().hasPrefix("HTTP/1.1 101"))
        let other = try await TestClient.connect(port: harness.port)
        let chunk = RawSocket.clientFrame(.binary, [UInt8](repeating: 1, count: 60_000))
        // Never read: the echoes pile up until the server gives up on us (bounded).
        for _ in 0..<400 where harness.server.statistics.slowConsumersDropped.load(ordering: .relaxed) == 0 {
            slow.write(chunk)
            other.send(text: "ping")
            await #expect(other.nextMessage() == .text("ping"))
        }
        #expect(harness.server.statistics.slowConsumersDropped.load(ordering: .relaxed) == 1)
        other.send(text: "after")
        await #expect(other.nextMessage() == .text("after"))
    }
}

extension String {
    func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
