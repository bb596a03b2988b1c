import TestSupportCore
import Testing
import TransportTestSupport
import WebSocketCore

@testable import SocketTransport

/// The WebSocket session driven through a channel without a socket: the test
/// is the peer, moves the clock by hand and decides how much each write takes.
@Suite struct SessionOverFakeChannelTests {
    @Test func opensAndEchoesWhatArrives() {
        let peer = FakePeer()
        peer.onLoop {
            #expect(peer.recorder.openCount == 1)
            peer.channel.deliver(masked(.text, "Hello"))
            #expect(peer.channel.outputReadyCount == 1)
            peer.channel.pump()
            #expect(peer.channel.received == FrameEncoder.text("Hello"))
            #expect(peer.recorder.messages == [.text("Hello")])
        }
    }

    /// A fragmented message, fed one byte at a time, arrives whole.
    @Test func fragmentedInputInPiecesOfAnySize() {
        let frames = masked(.text, "Hel", fin: false) + masked(.continuation, "lo")
        for piece in [1, 2, 3, 7, frames.count] {
            let peer = FakePeer()
            peer.onLoop {
                peer.channel.deliver(frames, inPiecesOf: piece)
                peer.channel.pump()
                #expect(peer.recorder.messages == [.text("Hello")], "pieces of \(piece)")
                #expect(peer.channel.received == FrameEncoder.text("Hello"))
            }
        }
    }

    /// A peer that reads nothing while more than `maxQueuedBytes` waits is
    /// dropped with 1013; what it had not started to receive is forgotten.
    @Test func aSlowConsumerOverTheQueueLimitIsClosedWith1013() {
        let peer = FakePeer(options: WebSocketEndpointOptions(maxQueuedBytes: 1024))
        peer.onLoop {
            peer.channel.readMode = .nothing
            for _ in 0..<3 { peer.session.send(WebSocketMessage.binary([UInt8](repeating: 7, count: 600))) }
            #expect(peer.recorder.closes == [.init(code: .tryAgainLater, reason: "")])
            #expect(peer.statistics.slowConsumersDropped.load(ordering: .relaxed) == 1)
            peer.channel.readMode = .everything
            peer.channel.pump()
            #expect(peer.channel.received == FrameEncoder.close(code: .tryAgainLater, reason: "slow consumer"))
            peer.channel.deliver(masked(.close, FrameEncoder.closePayload(code: .tryAgainLater, reason: "")))
            #expect(peer.channel.outputFinished)
        }
    }

    /// What waits for a slow peer is charged to the memory budget; when the
    /// budget refuses, the peer is dropped with 1013 and the refusal counted.
    @Test func aQueueTheBudgetCannotHoldIsClosedWith1013() {
        let budget = MemoryBudget(limit: 4096)
        let peer = FakePeer(budget: budget)
        peer.onLoop {
            peer.channel.readMode = .atMost(100)
            peer.session.send(WebSocketMessage.binary([UInt8](repeating: 1, count: 3000)))
            peer.channel.pump()
            #expect(budget.usedBytes == 4096, "what waits is charged in 4 KiB steps")
            peer.session.send(WebSocketMessage.binary([UInt8](repeating: 2, count: 3000)))
            #expect(budget.refusals(.outbound) == 1)
            #expect(peer.recorder.closes == [.init(code: .tryAgainLater, reason: "")])
            peer.channel.reset()
            #expect(budget.usedBytes == 0, "everything given back once the channel is closed")
        }
    }

    @Test func closingHandshakeWeStart() {
        let peer = FakePeer()
        peer.onLoop {
            peer.session.close(code: .normalClosure, reason: "done")
            peer.channel.pump()
            #expect(peer.channel.received == FrameEncoder.close(code: .normalClosure, reason: "done"))
            #expect(!peer.channel.finishRequested)
            peer.channel.deliver(masked(.close, FrameEncoder.closePayload(code: .normalClosure, reason: "ok")))
            #expect(peer.recorder.closes == [.init(code: .normalClosure, reason: "ok")])
            #expect(peer.channel.outputFinished, "nothing was left to write: the output ends at once")
            #expect(!peer.channel.aborted)
        }
    }

    @Test func closingHandshakeThePeerStarts() {
        let peer = FakePeer()
        peer.onLoop {
            peer.channel.deliver(masked(.close, FrameEncoder.closePayload(code: .goingAway, reason: "bye")))
            #expect(peer.recorder.closes == [.init(code: .goingAway, reason: "bye")])
            #expect(peer.channel.finishRequested)
            #expect(!peer.channel.outputFinished, "our Close is still queued")
            peer.channel.pump()
            #expect(closeCode(of: peer.channel.received) == CloseCode.goingAway.value, "the code echoed")
            #expect(peer.channel.outputFinished)
        }
    }

    /// Our Close unanswered for `closeTimeout`: the channel is aborted.
    @Test func anUnansweredCloseTimesOut() {
        let peer = FakePeer()
        peer.onLoop {
            peer.session.close()
            peer.channel.pump()
            let timeout = peer.configuration.closeTimeout
            _ = peer.check(after: timeout - .milliseconds(1))
            #expect(!peer.channel.aborted)
            #expect(peer.check(after: .milliseconds(1)) == .max)
            #expect(peer.channel.aborted)
            #expect(peer.recorder.closes == [.init(code: nil, reason: "")])
        }
    }

    /// A peer that broke the protocol and reads nothing more: our Close cannot
    /// leave, and after `closeTimeout` the channel is aborted instead of being
    /// held for ever (the idle timeout has nothing left to close).
    @Test func aFailedSessionWhosePeerDoesNotReadIsAbortedAfterTheCloseTimeout() {
        let peer = FakePeer()
        peer.onLoop {
            peer.channel.readMode = .nothing
            peer.channel.deliver(RFCVectors.helloUnmasked)  // unmasked from a client: 1002
            #expect(peer.recorder.closes == [.init(code: .protocolError, reason: "")])
            #expect(peer.channel.finishRequested)
            #expect(!peer.channel.outputFinished, "our Close waits for the peer")
            _ = peer.check(after: peer.configuration.closeTimeout - .milliseconds(1))
            #expect(!peer.channel.aborted)
            _ = peer.check(after: .milliseconds(1))
            #expect(peer.channel.aborted)
        }
    }

    /// A quiet peer gets a ping at `pingInterval`; one that stays silent is
    /// closed with 1001 at `idleTimeout`.
    @Test func keepAlivePingThenIdleTimeout() {
        let peer = FakePeer()
        peer.onLoop {
            let start = peer.clock.now
            let ping = peer.configuration.pingInterval
            #expect(peer.check(after: ping - .milliseconds(1)) == start + ping.nanoseconds)
            peer.channel.pump()
            #expect(peer.channel.received.isEmpty)
            #expect(peer.check(after: .milliseconds(1)) == start + 2 * ping.nanoseconds, "the next ping, if unanswered")
            peer.channel.pump()
            #expect(peer.channel.received == FrameEncoder.encode(.ping, payload: [UInt8]()))
            _ = peer.check(after: peer.configuration.idleTimeout - ping)
            #expect(peer.recorder.closes == [.init(code: .goingAway, reason: "")])
            peer.channel.pump()
            #expect(closeCode(of: Array(peer.channel.received.dropFirst(2))) == CloseCode.goingAway.value)
        }
    }

    @Test func aPongPutsTheIdleTimeoutOff() {
        let peer = FakePeer()
        peer.onLoop {
            let idle = peer.configuration.idleTimeout
            peer.clock.advance(by: idle - .seconds(1))
            peer.channel.deliver(masked(.pong, ""))
            _ = peer.check(after: .seconds(1))
            #expect(peer.recorder.closes.isEmpty)
        }
    }

    /// Writes that take a few bytes, or none, never reorder or lose a byte.
    @Test func shortWritesAndEAGAINKeepTheByteOrder() {
        let peer = FakePeer()
        peer.onLoop {
            var expected: [UInt8] = []
            let modes: [FakeByteChannel.ReadMode] = [.atMost(7), .nothing, .atMost(1), .atMost(300), .nothing]
            for index in 0..<60 {
                let payload = [UInt8](repeating: UInt8(index), count: (index * 37) % 500)
                peer.session.send(WebSocketMessage.binary(payload))
                expected += FrameEncoder.encode(.binary, payload: payload)
                peer.channel.readMode = modes[index % modes.count]
                peer.channel.pump()
            }
            peer.channel.readMode = .everything
            peer.channel.pump()
            #expect(peer.channel.received == expected)
        }
    }

    /// The same frame sent to many sessions (fan-out) reaches each whole.
    @Test func anEncodedFrameReachesEverySession() {
        let frame = EncodedFrame.text("to all")
        let peers = (0..<3).map { _ in FakePeer() }
        for peer in peers {
            peer.onLoop {
                peer.session.send(frame)
                peer.channel.pump()
                #expect(peer.channel.received == frame.bytes)
            }
        }
    }

    @Test func theEndOfInputAbortsTheSession() {
        let peer = FakePeer()
        peer.onLoop {
            peer.channel.endInput()
            #expect(peer.channel.aborted)
            #expect(peer.recorder.closes == [.init(code: nil, reason: "")])
            peer.session.send(WebSocketMessage.text("after the end"))
            #expect(peer.channel.received.isEmpty)
        }
    }

    /// A reset while a message is half received: the handler is told once,
    /// and every byte the session held is given back to the budget.
    @Test func aResetMidMessageFreesEverything() {
        let budget = MemoryBudget(limit: 1 << 20)
        let peer = FakePeer(budget: budget)
        peer.onLoop {
            peer.channel.deliver(masked(.binary, [UInt8](repeating: 3, count: 9000), fin: false))
            peer.channel.readMode = .nothing
            peer.session.send(WebSocketMessage.binary([UInt8](repeating: 4, count: 9000)))
            peer.session.send(WebSocketMessage.binary([UInt8](repeating: 5, count: 9000)))
            peer.channel.pump()
            #expect(budget.usedBytes > 0)
            peer.channel.reset()
            #expect(budget.usedBytes == 0)
            #expect(peer.recorder.closes == [.init(code: nil, reason: "")])
            #expect(!peer.channel.aborted)
        }
    }
}
