import Dispatch
import Glibc
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

/// Bytes that arrive while a route is being decided (a token check, say), over
/// real sockets: a frame sent early is echoed once the upgrade goes through,
/// and a peer that floods before the 101 is closed without disturbing others.
@Suite(.serialized) struct DeferredRouteTests {
    /// Defers every request until the test calls `decide`.
    final class HeldRouter: HTTPRouter, @unchecked Sendable {
        let pending = LockedValue<[@Sendable (RouteDecision) -> Void]>([])
        /// Signalled once for every request held.
        let arrived = DispatchSemaphore(value: 0)

        func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
            .deferred { [pending, arrived] decide in
                pending.withLock { $0.append(decide) }
                arrived.signal()
            }
        }

        /// Waits (bounded, on the arrivals) for `count` requests to be held.
        func waitForHeld(_ count: Int) -> Bool {
            let deadline = DispatchTime.now() + .seconds(5)
            while pending.current.count < count {
                if arrived.wait(timeout: deadline) == .timedOut { return pending.current.count >= count }
            }
            return true
        }

        /// Upgrades every held request to an echo.
        func upgradeAll() {
            let held = pending.withLock { held in
                defer { held = [] }
                return held
            }
            for decide in held { decide(.upgrade(TestEchoHandler(), WebSocketEndpointOptions())) }
        }
    }

    static let request =
        "GET /held HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"

    @Test func aFrameSentBeforeThe101IsEchoedAfterIt() throws {
        let router = HeldRouter()
        let server = WebSocketServer(router: router, logger: .init(label: "test"))
        defer { server.shutdown(gracePeriod: .zero) }
        let port = try server.bind(host: "127.0.0.1", port: 0).port

        let socket = try RawSocket(port: port)
        socket.write(Array(Self.request.utf8) + RawSocket.clientFrame(.text, Array("early".utf8)))
        #expect(router.waitForHeld(1))
        router.upgradeAll()
        #expect(socket.readHead().hasPrefix("HTTP/1.1 101"))
        #expect(socket.readSome() == FrameEncoder.encode(.text, payload: Array("early".utf8)))
    }

    @Test func floodingBeforeThe101ClosesOnlyThatPeer() throws {
        let router = HeldRouter()
        var configuration = TransportConfiguration()
        configuration.maxHeadLength = 4096
        let server = WebSocketServer(configuration: configuration, router: router, logger: .init(label: "test"))
        defer { server.shutdown(gracePeriod: .zero) }
        let port = try server.bind(host: "127.0.0.1", port: 0).port

        let patient = try RawSocket(port: port)
        patient.write(Self.request)
        let flooder = try RawSocket(port: port)
        flooder.write(Self.request)
        #expect(router.waitForHeld(2))
        let violations = server.statistics.protocolViolations.load(ordering: .relaxed)
        let frame = RawSocket.clientFrame(.binary, [UInt8](repeating: 0x42, count: 1000))
        for _ in 0..<8 { flooder.write(frame) }

        let (bytes, closed) = flooder.readUntilClosed()
        #expect(closed && bytes.isEmpty, "closed without a response: no route was decided for it")
        #expect(server.statistics.protocolViolations.load(ordering: .relaxed) == violations + 1)

        // Head and flood in one write: over the limit before the route is even asked.
        let eager = try RawSocket(port: port)
        eager.write(Array(Self.request.utf8) + [UInt8](repeating: 0x42, count: 8000))
        #expect(eager.readUntilClosed().closed)
        #expect(server.statistics.protocolViolations.load(ordering: .relaxed) == violations + 2)

        router.upgradeAll()
        #expect(patient.readHead().hasPrefix("HTTP/1.1 101"))
        patient.write(RawSocket.clientFrame(.text, Array("still here".utf8)))
        #expect(patient.readSome() == FrameEncoder.encode(.text, payload: Array("still here".utf8)))
    }
}
