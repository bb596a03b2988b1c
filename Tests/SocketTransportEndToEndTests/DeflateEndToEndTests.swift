import TestSupportCore
import Testing
import TransportTestSupport
import WebSocketCore

@testable import SocketTransport

/// permessage-deflate over real sockets: our client and raw bytes against `iopd`'s `/echo`.
@Suite(.serialized) struct DeflateEndToEndTests {
    private func compressingHarness(maxMessage: Int = 16 << 20) async throws -> EchoHarness {
        var settings = EchoSettings.echoTesting
        settings.compression = true
        settings.echoLimits = WebSocketLimits(maxFramePayloadLength: maxMessage, maxMessageLength: maxMessage)
        return try EchoHarness(settings: settings)
    }

    private static let strict = PerMessageDeflateConfiguration(
        serverNoContextTakeover: true, clientNoContextTakeover: true, serverMaxWindowBits: 9, clientMaxWindowBits: 8,
        minimumCompressedSize: 0)

    @Test(arguments: [PerMessageDeflateConfiguration(minimumCompressedSize: 0), strict])
    func ourClientEchoesThroughCompression(configuration: PerMessageDeflateConfiguration) async throws {
        let harness = try await compressingHarness()
        defer { harness.stop() }
        let client = try await TestClient.connect(port: harness.port, compression: configuration)
        var generator = SplitMix64(seed: 5)
        let random = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let messages: [WebSocketMessage] = [
            .text("Hello"), .text(""), .text("héllo ☃ 🌊 " + String(repeating: "check-in round ", count: 5_000)),
            .binary(random), .binary([UInt8](repeating: 0, count: 3 << 20)), .text("Hello"),
        ]
        for message in messages {
            client.send(message)
            await #expect(client.nextMessage(timeout: .seconds(30)) == message)
        }
        client.close()
        await #expect(client.waitForClose() == .some(.normalClosure))
    }

    @Test func serverCompressesWhatItSends() async throws {
        let harness = try await compressingHarness()
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        let head = socket.upgrade(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n")
        #expect(head.contains("Sec-WebSocket-Extensions: permessage-deflate\r\n"))
        // The RFC 7692 §7.2.3.1 "Hello", masked; short replies go out uncompressed.
        socket.write(RawSocket.clientFrame(.text, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], reservedBits: 0x40))
        #expect(socket.readSome() == [0x81, 0x05] + Array("Hello".utf8))
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 200)
        socket.write(RawSocket.clientFrame(.text, long))
        var reply: [UInt8] = []
        for _ in 0..<20 where reply.count < 2 || reply.count < 2 + Int(reply[1]) { reply += socket.readSome() }
        #expect(reply.first == 0xC1, "RSV1 set on a compressed reply")
        #expect(reply.count < 20)
    }

    @Test func fragmentedCompressedMessage() async throws {
        let harness = try await compressingHarness()
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        socket.upgrade(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n")
        let deflater = try #require(MessageDeflater(.init(noContextTakeover: true, windowBits: 15)))
        let text = Array("fragments ".utf8) + Array(repeating: UInt8(ascii: "z"), count: 40)
        let compressed = text.withUnsafeBytes { deflater.compress($0) }
        let third = compressed.count / 3
        socket.write(
            RawSocket.clientFrame(.text, Array(compressed[..<third]), fin: false, reservedBits: 0x40)
                + RawSocket.clientFrame(.ping, [9])
                + RawSocket.clientFrame(.continuation, Array(compressed[third..<(2 * third)]), fin: false)
                + RawSocket.clientFrame(.continuation, Array(compressed[(2 * third)...])))
        var received: [UInt8] = []
        for _ in 0..<20 where received.count < 3 + 2 + text.count { received += socket.readSome() }
        #expect(received == [0x8A, 0x01, 0x09, 0x81, UInt8(text.count)] + text)
    }

    @Test func bombIsClosedWith1009AndServerStaysUp() async throws {
        let harness = try await compressingHarness(maxMessage: 1 << 20)
        defer { harness.stop() }
        let bomber = try await TestClient.connect(port: harness.port, compression: .init())
        bomber.send(.binary([UInt8](repeating: 0, count: 16 << 20)))  // about 16 KiB compressed
        await #expect(bomber.waitForClose(timeout: .seconds(30)) == .some(.messageTooBig))
        let next = try await TestClient.connect(port: harness.port, compression: .init())
        next.send(text: "still serving")
        await #expect(next.nextMessage() == .text("still serving"))
    }

    @Test func offIsTheDefault() async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        let head = socket.upgrade(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n")
        #expect(head.hasPrefix("HTTP/1.1 101") && !head.contains("Sec-WebSocket-Extensions"))
        socket.write(RawSocket.clientFrame(.text, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00], reservedBits: 0x40))
        let (bytes, closed) = socket.readUntilClosed()
        #expect(closed && bytes.count >= 4 && bytes[0] == 0x88 && bytes[2] == 0x03 && bytes[3] == 0xEA)  // 1002
        // Our client, offering, still connects and works uncompressed.
        let client = try await TestClient.connect(port: harness.port, compression: .init())
        client.send(text: String(repeating: "x", count: 500))
        await #expect(client.nextMessage() == .text(String(repeating: "x", count: 500)))
    }

    @Test func clientFailsOnAnAnswerItDidNotAllow() async throws {
        let router = FixedAnswerRouter(extensionHeader: "permessage-deflate; server_max_window_bits=12")
        let server = WebSocketServer(router: router, logger: .init(label: "test"))
        defer { server.shutdown(gracePeriod: .seconds(1)) }
        let port = try server.bind(host: "127.0.0.1", port: 0).port
        let error = await #expect(throws: WebSocketClientError.self) {
            _ = try await TestClient.connect(port: port, compression: .init(serverMaxWindowBits: 10))
        }
        #expect(error?.description.contains("server_max_window_bits=12") == true)
        await #expect(throws: WebSocketClientError.self) {
            _ = try await TestClient.connect(port: port)  // nothing offered, an extension answered
        }
    }
}

/// Upgrades every request and adds a fixed `Sec-WebSocket-Extensions` answer, right or wrong.
private struct FixedAnswerRouter: HTTPRouter {
    let extensionHeader: String

    func route(_ request: HTTPRequestHead, from peer: SocketAddress) -> RouteDecision {
        .upgrade(
            TestEchoHandler(), WebSocketEndpointOptions(responseHeaders: ["Sec-WebSocket-Extensions": extensionHeader]))
    }
}
