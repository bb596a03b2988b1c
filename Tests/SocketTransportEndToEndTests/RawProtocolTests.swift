import SocketTransport
import Testing
import TransportTestSupport
import WebSocketCore

/// Raw bytes against the real server: what a broken or hostile peer sends.
@Suite(.serialized) struct RawProtocolTests {
    /// Reads until close and returns the close code the server sent, if any.
    func closeCode(after frames: [UInt8], port: Int) async throws -> UInt16? {
        let socket = try RawSocket(port: port)
        #expect(socket.upgrade().hasPrefix("HTTP/1.1 101"))
        socket.write(frames)
        let (bytes, closed) = socket.readUntilClosed()
        #expect(closed, "server must close the TCP connection")
        return Self.lastCloseCode(in: bytes)
    }

    /// Finds the close frame among unmasked server frames.
    static func lastCloseCode(in bytes: [UInt8]) -> UInt16? {
        var index = 0
        while index + 2 <= bytes.count {
            let opcode = bytes[index] & 0x0F
            var length = Int(bytes[index + 1] & 0x7F)
            var header = 2
            if length == 126 {
                length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
                header = 4
            } else if length == 127 {
                return nil
            }
            if opcode == 8 {
                return length >= 2 ? UInt16(bytes[index + header]) << 8 | UInt16(bytes[index + header + 1]) : 1005
            }
            index += header + length
        }
        return nil
    }

    @Test func echoesFragmentedMessageWithInterleavedPing() async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        #expect(socket.upgrade().hasPrefix("HTTP/1.1 101"))
        socket.write(
            RawSocket.clientFrame(.text, Array("Hel".utf8), fin: false)
                + RawSocket.clientFrame(.ping, Array("p".utf8))
                + RawSocket.clientFrame(.continuation, Array("lo".utf8)))
        var received: [UInt8] = []
        for _ in 0..<20 where received.count < 10 { received += socket.readSome() }
        // Pong first (answered mid-message), then the whole message.
        #expect(received == [0x8A, 0x01, 0x70, 0x81, 0x05] + Array("Hello".utf8))
    }

    /// Autobahn 3.2, 4.1.3, 5.15 and 7.1.6 (found NON-STRICT before): a message that
    /// arrives in the same read as a bad frame, or as the peer's Close, is still echoed,
    /// ahead of our Close frame.
    @Test(arguments: [
        (RawSocket.clientFrame(.text, [0x41], reservedBits: 0x20), UInt16(1002)),
        (RawSocket.clientFrame(.continuation, [0x41]), UInt16(1002)),
        (RawSocket.clientFrame(.close, [0x03, 0xE8]), UInt16(1000)),
    ])
    func messageBeforeACloseInTheSameReadIsEchoedFirst(_ ending: [UInt8], _ code: UInt16) async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        #expect(socket.upgrade().hasPrefix("HTTP/1.1 101"))
        socket.write(RawSocket.clientFrame(.text, Array("Hello".utf8)) + ending)
        let (bytes, closed) = socket.readUntilClosed()
        #expect(closed)
        #expect(Array(bytes.prefix(7)) == [0x81, 0x05] + Array("Hello".utf8), "the echo, before anything else")
        #expect(Self.lastCloseCode(in: bytes) == code)
    }

    @Test func unsolicitedPongIsIgnored() async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        let socket = try RawSocket(port: harness.port)
        socket.upgrade()
        socket.write(RawSocket.clientFrame(.pong, [1, 2]) + RawSocket.clientFrame(.text, Array("x".utf8)))
        #expect(socket.readSome() == [0x81, 0x01, 0x78])
    }

    @Test(
        arguments: [
            (RawSocket.clientFrame(.text, [0xC0, 0xAF]), 1007 as UInt16),
            (RawSocket.clientFrame(.text, [0x61], reservedBits: 0x40), 1002),
            (FrameEncoder.encode(.text, payload: [0x61]), 1002),  // unmasked
            ([0x83, 0x80, 1, 2, 3, 4], 1002),  // reserved opcode 3
            (RawSocket.clientFrame(.ping, [UInt8](repeating: 0, count: 126)), 1002),
            (RawSocket.clientFrame(.ping, [], fin: false), 1002),
            (RawSocket.clientFrame(.continuation, [0x61]), 1002),
            (RawSocket.clientFrame(.text, [0x61], fin: false) + RawSocket.clientFrame(.text, [0x61]), 1002),
            (RawSocket.clientFrame(.close, [0x03]), 1002),
            (RawSocket.clientFrame(.close, [0x03, 0xED]), 1002),  // 1005 may not be sent
            (RawSocket.clientFrame(.close, [0x03, 0xE8, 0xFF]), 1007),
            (RawSocket.clientFrame(.close, [0x03, 0xE8]), 1000),
            (RawSocket.clientFrame(.close, []), 1005),
        ] as [([UInt8], UInt16)])
    func badInputClosesWithPreciseCode(frames: [UInt8], expected: UInt16) async throws {
        let harness = try EchoHarness()
        defer { harness.stop() }
        #expect(try await closeCode(after: frames, port: harness.port) == expected)
        // Everyone else carries on.
        let other = try await TestClient.connect(port: harness.port)
        other.send(text: "fine")
        await #expect(other.nextMessage() == .text("fine"))
    }

    @Test func messageOverLimitIs1009() async throws {
        var settings = EchoSettings.echoTesting
        settings.echoLimits = WebSocketLimits(maxFramePayloadLength: 1000, maxMessageLength: 1500)
        let harness = try EchoHarness(settings: settings)
        defer { harness.stop() }
        let frame = RawSocket.clientFrame(.binary, [UInt8](repeating: 7, count: 1001))
        #expect(try await closeCode(after: Array(frame.prefix(8)), port: harness.port) == 1009)
        let fragments =
            RawSocket.clientFrame(.binary, [UInt8](repeating: 7, count: 1000), fin: false)
            + RawSocket.clientFrame(.continuation, [UInt8](repeating: 7, count: 600))
        #expect(try await closeCode(after: fragments, port: harness.port) == 1009)
        #expect(harness.server.statistics.protocolViolations.load(ordering: .relaxed) == 2)
    }
}
