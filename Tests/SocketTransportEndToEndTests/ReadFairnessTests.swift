import Dispatch
import Glibc
import Logging
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

/// One connection's flood cannot hold its loop: each turn reads at most
/// `inputPerTurn` bytes of it, so another connection on the same loop is served
/// in the same turn, not after the whole flood (the attack suite's canary saw
/// round trips of up to a second behind ping and fragment floods when a turn read
/// up to 2 MiB of one connection).
@Suite struct ReadFairnessTests {
    /// Records the first byte of every message, in the order the loop handled them.
    final class Recorder: WebSocketHandler, HTTPRouter {
        let order = LockedValue<[UInt8]>([])
        /// Signalled when the canary's message ("c") is handled.
        let canaryHandled = DispatchSemaphore(value: 0)

        func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
            .upgrade(self, WebSocketEndpointOptions(limits: WebSocketLimits(), maxQueuedBytes: 64 << 20))
        }
        func webSocketDidOpen(_ connection: WebSocketConnection) {}
        func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
            guard case .text(let text) = message, let first = text.utf8.first else { return }
            order.withLock { $0.append(first) }
            if first == UInt8(ascii: "c") { canaryHandled.signal() }
        }
        func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {}
    }

    /// Writes as much of `bytes` as the kernel takes now; returns the count.
    static func writeWithoutBlocking(_ socket: RawSocket, _ bytes: [UInt8]) -> Int {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(socket.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if written <= 0 { break }
            offset += written
        }
        return offset
    }

    @Test func aFloodingConnectionDoesNotHoldItsLoopForOthers() throws {
        let recorder = Recorder()
        let loops = EventLoopGroup(count: 1)
        defer { loops.stop() }
        let server = WebSocketServer(router: recorder, logger: Logger(label: "test"), loops: loops)
        defer { server.shutdown(gracePeriod: .milliseconds(200)) }
        let port = try server.bind(host: "127.0.0.1", port: 0).port
        let flooder = try RawSocket(port: port)
        let canary = try RawSocket(port: port)
        #expect(flooder.upgrade(path: "/").hasPrefix("HTTP/1.1 101"))
        #expect(canary.upgrade(path: "/").hasPrefix("HTTP/1.1 101"))

        // Hold the loop while both peers' bytes reach the kernel, so its next turn
        // finds the flood (ready first) and the canary's one message together.
        let held = DispatchSemaphore(value: 0)
        let holding = DispatchSemaphore(value: 0)
        loops.loops[0].async {
            holding.signal()
            held.wait()
        }
        holding.wait()
        let flood = Array(repeating: RawSocket.clientFrame(.text, [UInt8(ascii: "f")]), count: 40_000).flatMap { $0 }
        let queued = Self.writeWithoutBlocking(flooder, flood)
        canary.write(RawSocket.clientFrame(.text, [UInt8(ascii: "c")]))
        held.signal()

        let frameSize = 7
        let floodMessages = queued / frameSize
        try #require(queued >= 4 * 8 * 1024, "the kernel took only \(queued) bytes")
        #expect(recorder.canaryHandled.wait(timeout: .now() + 10) == .success)
        let order = recorder.order.current
        let canaryIndex = try #require(order.firstIndex(of: UInt8(ascii: "c")))
        // At most one turn's worth of the flood (plus a message cut at its end) came first.
        #expect(canaryIndex <= WebSocketConnection.inputPerTurn / frameSize + 1)
        #expect(canaryIndex < floodMessages / 2)
    }
}
