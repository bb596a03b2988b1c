import Logging
import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

/// A plain HTTP response that waits for a slow reader is charged to the memory
/// budget like a WebSocket's queue: past the budget the connection is closed
/// at once (the response cut short), counted, and the reservation given back.
@Suite(.serialized) struct PlainResponseBudgetTests {
    /// Answers every request with `body`.
    struct LargeResponseRouter: HTTPRouter {
        let body: [UInt8]

        func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
            .respond(HTTPResponse(status: 200, body: body))
        }
    }

    @Test func aResponseTheBudgetCannotHoldClosesTheConnection() throws {
        var configuration = TransportConfiguration()
        configuration.memoryBudgetBytes = 1 << 20
        // 32 MiB: far more than loopback's socket buffers take in one write.
        let body = [UInt8](repeating: 0x61, count: 32 << 20)
        let server = WebSocketServer(
            configuration: configuration, router: LargeResponseRouter(body: body), logger: Logger(label: "test"))
        defer { server.shutdown(gracePeriod: .milliseconds(500)) }
        let port = try server.bind(host: "127.0.0.1", port: 0).port
        let socket = try RawSocket(port: port, receiveBufferSize: 4096)
        socket.write("GET /large HTTP/1.1\r\nHost: localhost\r\n\r\n")
        let (received, closed) = socket.readUntilClosed(timeout: .seconds(10))
        #expect(closed)
        #expect(received.count < body.count, "the response is cut short, not held for the reader")
        #expect(server.memoryBudget.refusals(.outbound) == 1)
        #expect(server.memoryBudget.usedBytes == 0)
    }
}
