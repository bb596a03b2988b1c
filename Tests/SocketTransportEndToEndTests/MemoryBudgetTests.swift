import Glibc
import Testing
import TransportTestSupport
import WebSocketCore

@testable import SocketTransport

/// The server's one memory budget against hostile peers on real sockets:
/// whatever they send or refuse to read, what the server holds for them stays
/// within it, the refused are told 1013 (or 503 at the upgrade), the others
/// carry on, and everything reserved comes back when they are gone.
@Suite(.serialized) struct MemoryBudgetTests {
    /// A server with `/echo` on, a budget of `budget` bytes and 1 MiB echo messages.
    private func harness(
        budget: Int, maxMessage: Int = 1 << 20, compression: Bool = false, maxQueued: Int = 64 << 20
    ) async throws -> EchoHarness {
        var settings = EchoSettings.echoTesting
        settings.transport.memoryBudgetBytes = budget
        settings.echoLimits = WebSocketLimits(maxFramePayloadLength: maxMessage, maxMessageLength: maxMessage)
        settings.echoMaxQueuedBytes = maxQueued
        settings.compression = compression
        settings.transport.closeTimeout = .milliseconds(300)
        settings.transport.timerResolution = .milliseconds(50)
        return try EchoHarness(settings: settings)
    }

    /// Reads the next server frame (unmasked) from `socket`; nil on timeout or end of stream.
    private func nextFrame(_ socket: RawSocket, _ pending: inout [UInt8]) -> (Opcode, [UInt8])? {
        var parser = FrameParser(expectsMaskedFrames: false, maxFramePayloadLength: 64 << 20)
        for _ in 0..<100 {
            var copy = pending
            let frame: (Opcode, [UInt8], Int)? = copy.withUnsafeMutableBytes { buffer in
                var input = buffer
                var opcode: Opcode?
                var payload: [UInt8] = []
                while let event = try? parser.next(&input) {
                    switch event {
                    case .frameStart(let header): opcode = header.opcode
                    case .payload(let chunk): payload += chunk
                    case .frameEnd: return opcode.map { ($0, payload, buffer.count - input.count) }
                    }
                }
                return nil
            }
            if let frame {
                pending.removeFirst(frame.2)
                return (frame.0, frame.1)
            }
            parser = FrameParser(expectsMaskedFrames: false, maxFramePayloadLength: 64 << 20)
            let more = socket.readSome()
            if more.isEmpty { return nil }
            pending += more
        }
        return nil
    }

    /// The close code of a close frame's payload.
    private func closeCode(_ payload: [UInt8]) -> UInt16? {
        payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
    }

    /// Waits (bounded) until the budget holds nothing.
    private func budgetEmpties(_ budget: MemoryBudget) -> Bool {
        for _ in 0..<500 {
            if budget.usedBytes == 0 { return true }
            usleep(10_000)
        }
        return false
    }

    /// `count` peers each start a binary message with a first fragment as large
    /// as the message limit (1 MiB, arriving in many reads) and never finish it,
    /// one after the other; each then pings, so its pong (or its 1013) says the
    /// server has dealt with the fragment. Returns the
    /// sockets and, for each, whether it was refused with 1013 "server busy".
    private func trickle(_ count: Int, port: Int) throws -> [(socket: RawSocket, refused: Bool)] {
        let sockets = try (0..<count).map { _ in try RawSocket(port: port) }
        for socket in sockets { #expect(socket.upgrade().hasPrefix("HTTP/1.1 101")) }
        let fragment = RawSocket.clientFrame(.binary, [UInt8](repeating: 7, count: 1 << 20), fin: false)
        return sockets.map { socket in
            socket.write(fragment + RawSocket.clientFrame(.ping, [1]))
            var pending: [UInt8] = []
            guard let (opcode, payload) = nextFrame(socket, &pending) else { return (socket, false) }
            if opcode == .close {
                #expect(closeCode(payload) == 1013)
                #expect(String(decoding: payload.dropFirst(2), as: UTF8.self) == "server busy")
                return (socket, true)
            }
            #expect(opcode == .pong)
            return (socket, false)
        }
    }

    @Test func partialMessagesAreRefusedPastTheBudgetAndOthersCarryOn() async throws {
        let harness = try await harness(budget: 4 << 20)
        defer { harness.stop() }
        let budget = harness.server.memoryBudget
        let member = try await TestClient.connect(port: harness.port)
        let peers = try trickle(6, port: harness.port)
        // Each holds 1 MiB (reserved as its buffer doubles, up to the message limit): four fit in 4 MiB.
        #expect(peers.map(\.refused) == [false, false, false, false, true, true])
        #expect(budget.refusals(.inbound) == 2)
        #expect(budget.usedBytes == 4 << 20)
        #expect(budget.peakBytes <= budget.limit)
        // Small messages need no reservation: the member's echo still comes back.
        member.send(text: "still here")
        await #expect(member.nextMessage() == .text("still here"))
        withExtendedLifetime(peers) {}
    }

    @Test func upgradesAreRefusedWith503WhileTheBudgetIsSpentAndAcceptedAfter() async throws {
        let harness = try await harness(budget: 4 << 20)
        defer { harness.stop() }
        let budget = harness.server.memoryBudget
        var peers = try trickle(4, port: harness.port)
        #expect(budget.usedBytes == 4 << 20)
        let late = try RawSocket(port: harness.port)
        let refused = late.upgrade()
        #expect(refused.hasPrefix("HTTP/1.1 503"))
        #expect(refused.contains("Retry-After: 5"))
        #expect(budget.refusals(.handshake) == 1)
        // Every hostile peer gone: all it reserved comes back, and upgrades work again.
        peers.removeAll()
        #expect(budgetEmpties(budget))
        let next = try RawSocket(port: harness.port)
        #expect(next.upgrade().hasPrefix("HTTP/1.1 101"))
    }

    @Test func aRequestHeadArrivingInPiecesIsRefusedWhenTheBudgetCannotHoldIt() async throws {
        let harness = try await harness(budget: 4 << 20)
        defer { harness.stop() }
        let budget = harness.server.memoryBudget
        let peers = try trickle(4, port: harness.port)
        #expect(budget.usedBytes == budget.limit)
        // A head that is not complete is held, so reserved: with nothing left, 503 at once.
        let slow = try RawSocket(port: harness.port)
        slow.write("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let head = slow.readHead()
        #expect(head.hasPrefix("HTTP/1.1 503"))
        #expect(head.contains("Retry-After: 5"))
        #expect(budget.refusals(.handshake) == 1)
        #expect(budget.usedBytes == budget.limit)
        withExtendedLifetime(peers) {}
    }

    @Test func everyReservationComesBackWhenTheHostilePeersLeave() async throws {
        let harness = try await harness(budget: 4 << 20)
        defer { harness.stop() }
        let budget = harness.server.memoryBudget
        var peers = try trickle(6, port: harness.port)
        #expect(budget.usedBytes > 0)
        peers.removeAll()
        #expect(budgetEmpties(budget))
        #expect(budget.peakBytes <= budget.limit)
    }

    @Test func aPeerThatNeverReadsIsClosedWith1013WithinTheBudget() async throws {
        // The per-connection queue limit (64 MiB) is far above the budget: only the budget stops it.
        let harness = try await harness(budget: 2 << 20)
        defer { harness.stop() }
        let budget = harness.server.memoryBudget
        let slow = try RawSocket(port: harness.port, receiveBufferSize: 4096)
        #expect(slow.upgrade().hasPrefix("HTTP/1.1 101"))
        let member = try await TestClient.connect(port: harness.port)
        let chunk = RawSocket.clientFrame(.binary, [UInt8](repeating: 1, count: 60_000))
        // Once the budget is spent, whichever asks first is refused: the echo waiting for
        // the slow socket (outbound), or the next 60 KB message, which arrives in 8 KiB
        // reads and is reassembled (inbound). Either closes the peer with 1013.
        func refusals() -> Int { budget.refusals(.outbound) + budget.refusals(.inbound) }
        for _ in 0..<400 where refusals() == 0 {
            slow.write(chunk)
            member.send(text: "ping")
            await #expect(member.nextMessage() == .text("ping"))
        }
        #expect(refusals() == 1)
        #expect(budget.peakBytes <= budget.limit)
        // What was queued and not begun is dropped; the 1013 close comes last.
        var pending: [UInt8] = []
        var last: (Opcode, [UInt8])?
        while let frame = nextFrame(slow, &pending) { last = frame }
        #expect(last?.0 == .close)
        #expect(last.flatMap { closeCode($0.1) } == 1013)
        member.send(text: "after")
        await #expect(member.nextMessage() == .text("after"))
        #expect(budgetEmpties(budget) || budget.usedBytes < budget.limit / 10)
    }

    @Test func aSmallCompressedMessageCannotInflatePastTheBudget() async throws {
        // The message limit (16 MiB) would let it through; the 2 MiB budget does not.
        let harness = try await harness(budget: 2 << 20, maxMessage: 16 << 20, compression: true)
        defer { harness.stop() }
        let budget = harness.server.memoryBudget
        let socket = try RawSocket(port: harness.port)
        let head = socket.upgrade(extraHeaders: "Sec-WebSocket-Extensions: permessage-deflate\r\n")
        #expect(head.contains("permessage-deflate"))
        let deflater = try #require(MessageDeflater(.init(noContextTakeover: false, windowBits: 15)))
        let zeros = [UInt8](repeating: 0, count: 8 << 20)
        let compressed = zeros.withUnsafeBytes { deflater.compress($0) }
        #expect(compressed.count < 16 << 10)
        socket.write(RawSocket.clientFrame(.binary, compressed, reservedBits: FrameHeader.rsv1))
        var pending: [UInt8] = []
        let reply = nextFrame(socket, &pending)
        #expect(reply?.0 == .close)
        #expect(reply.flatMap { closeCode($0.1) } == 1013)
        #expect(budget.refusals(.inbound) == 1)
        #expect(budget.peakBytes <= budget.limit)
        #expect(budgetEmpties(budget))
    }
}
