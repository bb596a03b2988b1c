import TestSupportCore
import Testing
import TransportTestSupport
import WebSocketCore

@testable import SocketTransport

/// WebSocketCore's conformance tables (TestSupportCore's `WebSocketVectors`),
/// run through a whole session over a channel: whole, and one byte at a time.
/// An HTTP/2 stream channel can run the same tables.
@Suite struct SessionConformanceTests {
    static let pieces = [Int.max, 1]

    /// A frame a peer must not send fails the session with its close code: our
    /// Close carries it, the handler hears it, and the output ends.
    @Test(arguments: badFrames, pieces)
    func aBadFrameFailsTheSession(bad: BadFrame, piece: Int) {
        let peer = FakePeer(echoes: false, role: bad.role)
        peer.onLoop {
            peer.channel.deliver(bad.bytes, inPiecesOf: piece)
            peer.channel.pump()
            #expect(peer.recorder.closes.map { $0.code?.value } == [bad.code])
            #expect(closeCode(of: peer.channel.received) == bad.code)
            #expect(peer.channel.outputFinished)
        }
    }

    @Test(arguments: validCloseCodes, pieces)
    func aValidCloseCodeIsEchoed(code: UInt16, piece: Int) {
        let peer = FakePeer()
        peer.onLoop {
            peer.channel.deliver(clientFrame(.close, closePayload(code, Array("bye".utf8))), inPiecesOf: piece)
            #expect(peer.recorder.closes == [.init(code: CloseCode(code), reason: "bye")])
            peer.channel.pump()
            #expect(closeCode(of: peer.channel.received) == code)
            #expect(peer.channel.outputFinished)
        }
    }

    @Test(arguments: invalidCloseCodes)
    func anInvalidCloseCodeIsAProtocolError(code: UInt16) {
        let peer = FakePeer()
        peer.onLoop {
            peer.channel.deliver(clientFrame(.close, closePayload(code)))
            peer.channel.pump()
            #expect(closeCode(of: peer.channel.received) == 1002)
            #expect(peer.channel.outputFinished)
        }
    }

    /// RFC 6455 §5.7: the masked and fragmented "Hello", a ping and its pong.
    @Test(arguments: pieces)
    func theRFCExamples(piece: Int) {
        let server = FakePeer()
        server.onLoop {
            server.channel.deliver(RFCVectors.helloMasked + RFCVectors.pongHelloMasked, inPiecesOf: piece)
            #expect(server.recorder.messages == [.text("Hello")])
        }
        let client = FakePeer(echoes: false, role: .client)
        client.onLoop {
            let input = RFCVectors.helFragment + RFCVectors.loFragment + RFCVectors.pingHello + RFCVectors.binary256
            client.channel.deliver(input, inPiecesOf: piece)
            #expect(client.recorder.messages == [.text("Hello"), .binary(RFCVectors.payload256)])
            client.channel.pump()
            let pong = client.channel.received
            #expect(pong.count == 11 && pong[0] == 0x8A && pong[1] == 0x85, "a masked pong of 5 bytes")
            #expect(zip(pong[6...], pong[2..<6].cycled()).map { $0 ^ $1 } == RFCVectors.hello)
        }
    }
}

extension Collection {
    /// The elements repeated without end.
    fileprivate func cycled() -> [Element] {
        Array((0..<16).flatMap { _ in self })
    }
}
