import TransportTestSupport
import WebSocketCore

@testable import SocketTransport

/// One session over a ``FakeByteChannel`` on a loop of its own, and what the
/// test needs around it: the clock it reads, its handler, its counters.
struct FakePeer {
    /// A loop no socket channel runs on, so nothing sweeps its deadlines: the
    /// tests check them by hand, at the times they choose.
    static let loops = EventLoopGroup(count: 1, label: "iop.fake-peer")

    let loop: EventLoop
    let clock = FakeClock()
    let channel = FakeByteChannel()
    let recorder: SessionRecorder
    let statistics = TransportStatistics()
    let configuration: TransportConfiguration
    let session: WebSocketConnection

    init(
        echoes: Bool = true, role: WebSocketStateMachine.Role = .server,
        options: WebSocketEndpointOptions = WebSocketEndpointOptions(),
        budget: MemoryBudget? = nil, configuration: TransportConfiguration = TransportConfiguration()
    ) {
        loop = Self.loops.next()
        recorder = SessionRecorder(echoes: echoes)
        self.configuration = configuration
        let (channel, recorder, statistics, clock, loop) = (channel, recorder, statistics, clock, loop)
        session = loop.sync {
            channel.open(
                role: role, handler: recorder, options: options, budget: budget, configuration: configuration,
                statistics: statistics, clock: clock, loop: loop)
        }
    }

    /// Runs `body` on the session's loop and waits for it.
    func onLoop(_ body: () -> Void) {
        loop.sync(body)
    }

    /// Moves the clock by `duration`, then checks the session's deadlines at the new time.
    func check(after duration: Duration) -> UInt64 {
        clock.advance(by: duration)
        return session.checkDeadlines(now: clock.now)
    }
}

/// A frame as a client sends it: masked (RFC 6455 §5.3).
func masked(_ opcode: Opcode, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
    FrameEncoder.encode(opcode, payload: payload, fin: fin, maskingKey: MaskingKey(0x37, 0xFA, 0x21, 0x3D))
}

/// A text frame as a client sends it.
func masked(_ opcode: Opcode, _ text: String, fin: Bool = true) -> [UInt8] {
    masked(opcode, Array(text.utf8), fin: fin)
}

/// The close code of the Close frame at the start of `bytes` (unmasked, or
/// masked as a client sends it); nil if there is none.
func closeCode(of bytes: [UInt8]) -> UInt16? {
    guard bytes.count >= 4, bytes[0] == 0x88, bytes[1] & 0x7F >= 2 else { return nil }
    guard bytes[1] & 0x80 != 0 else { return UInt16(bytes[2]) << 8 | UInt16(bytes[3]) }
    guard bytes.count >= 8 else { return nil }
    return UInt16(bytes[6] ^ bytes[2]) << 8 | UInt16(bytes[7] ^ bytes[3])
}
