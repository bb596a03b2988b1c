import Glibc
import Testing
import TransportTestSupport
import WebSocketCore

@testable import SocketTransport

/// A client that sets its stream windows to zero (SETTINGS_INITIAL_WINDOW_SIZE 0)
/// and never opens them: nghttp2 never pulls the stream's output, so what its
/// WebSocket session queues must still be charged to the memory budget, as
/// what a slow TCP reader leaves queued is (the attack suite's "zero window").
@Suite(.serialized) struct HTTP2ZeroWindowTests {
    /// Sends one client frame on `stream` as DATA frames of at most 16,000 bytes
    /// (under the default SETTINGS_MAX_FRAME_SIZE).
    private func send(_ frame: [UInt8], on stream: UInt32, _ client: HTTP2TestClient) {
        var offset = 0
        while offset < frame.count {
            let end = min(offset + 16_000, frame.count)
            client.write(HTTP2Wire.data(stream: stream, Array(frame[offset..<end])))
            offset = end
        }
    }

    /// Polls (bounded: 5 s) until `condition` holds: the server charges on its own loop.
    private func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    @Test func echoesHeldBehindAZeroWindowAreChargedToTheBudget() throws {
        let harness = try HTTP2Harness()
        defer { harness.stop() }
        let client = try harness.client(settings: [(4, 0)])
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.webSocketConnect(path: "/echo")))
        #expect(client.next(on: 1)?.field(":status") == "200")
        let before = harness.server.memoryBudget.usedBytes
        // Three 16 KiB echoes the server can never send (48 KiB, under the window it gives us).
        for _ in 0..<3 { send(RawSocket.clientFrame(.binary, [UInt8](repeating: 1, count: 16 << 10)), on: 1, client) }
        let held = 3 * (16 << 10)
        #expect(eventually { harness.server.memoryBudget.usedBytes - before >= held })
        #expect(harness.server.statistics.slowConsumersDropped.load(ordering: .relaxed) == 0)
    }

    @Test func aZeroWindowStreamPastTheBudgetIsDroppedAndTheConnectionGoesOn() throws {
        var router = HTTP2TestRouter()
        router.options.maxQueuedBytes = 1 << 20  // the queue limit is not what stops it: the budget is
        let harness = try HTTP2Harness({ $0.closeTimeout = .milliseconds(300) }, router: router)
        defer { harness.stop() }
        let client = try harness.client(settings: [(4, 0)])
        client.write(HTTP2Wire.headers(stream: 1, HTTP2Wire.webSocketConnect(path: "/echo")))
        #expect(client.next(on: 1)?.field(":status") == "200")
        // Spend the budget down to 40 KiB (a reservation made outside the server, given back after).
        let budget = harness.server.memoryBudget
        let spent = budget.limit - budget.usedBytes - (40 << 10)
        #expect(budget.reserve(spent))
        defer { budget.release(spent) }
        // Ten 6 KiB echoes (60 KiB): each message arrives whole, so only the queue is charged.
        for _ in 0..<10 { send(RawSocket.clientFrame(.binary, [UInt8](repeating: 1, count: 6 << 10)), on: 1, client) }
        // Dropped as a slow consumer by the budget (1013 cannot pass the closed window), then RST_STREAM CANCEL.
        var reset: UInt32?
        while reset == nil, let frame = client.next(on: 1) {  // WINDOW_UPDATEs come first
            if frame.isA(.rstStream) { reset = frame.errorCode }
        }
        #expect(reset == 8)
        #expect(budget.refusals(.outbound) == 1)
        #expect(harness.server.statistics.slowConsumersDropped.load(ordering: .relaxed) == 1)
        // The connection goes on (this stream's window opened for its body).
        client.write(
            HTTP2Wire.headers(stream: 3, HTTP2Wire.request(path: "/hello"), endStream: true)
                + HTTP2Wire.windowUpdate(stream: 3, 1 << 16))
        let hello = client.response(on: 3)
        #expect(hello.status == 200 && hello.body == Array("hello\n".utf8))
    }
}
