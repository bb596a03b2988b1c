import TestSupportCore
import Testing
import TransportTestSupport

@testable import SocketTransport

/// The TLS layer without sockets: two sessions joined by hand, so every
/// SSL_ERROR_WANT_READ path is taken (bytes delivered one at a time, or in
/// random pieces), deterministically.
@Suite struct TLSSessionTests {
    @Test func clientContextsAreSharedPerConfigurationAndFailuresAreNotCached() throws {
        let trusting = try DevCertificates.client(trusting: "ca.pem")
        let first = try TLSContext.shared(client: trusting)
        #expect(try TLSContext.shared(client: trusting) === first, "built once, then shared")
        #expect(try TLSContext.shared(client: .insecureSkipVerification) !== first, "one per configuration")
        let missing = TLSClientConfiguration(trustedCAFile: "/nonexistent/ca-\(UInt64.random(in: 0...UInt64.max)).pem")
        #expect(throws: TLSError.self) { try TLSContext.shared(client: missing) }
        #expect(throws: TLSError.self, "a failure is tried again, not remembered") {
            try TLSContext.shared(client: missing)
        }
    }

    /// Moves ciphertext between the two sessions through the memory BIOs.
    struct Pair {
        let client: TLSSession
        let server: TLSSession
        var clientReceived: [UInt8] = []
        var serverReceived: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)

        init(host: String = "localhost", trusting: String = "ca.pem", certificate: String = "server") throws {
            let clientContext = try TLSContext(client: try DevCertificates.client(trusting: trusting))
            let serverContext = try TLSContext(server: try DevCertificates.server(certificate))
            client = try #require(TLSSession(client: clientContext, host: host))
            server = try #require(TLSSession(server: serverContext))
        }

        /// Delivers everything pending each way in pieces of at most `piece`
        /// bytes until neither side has anything to say; returns the first failure.
        mutating func pump(piece: (Int) -> Int) -> TLSError? {
            for _ in 0..<10_000 {
                let fromClient = client.takePending()
                let fromServer = server.takePending()
                if fromClient.isEmpty, fromServer.isEmpty { return nil }
                if let error = deliver(fromClient, to: server, into: \.serverReceived, piece: piece) { return error }
                if let error = deliver(fromServer, to: client, into: \.clientReceived, piece: piece) { return error }
            }
            return TLSError.handshakeFailed.detailed("pump did not settle")
        }

        private mutating func deliver(
            _ bytes: [UInt8], to session: TLSSession, into received: WritableKeyPath<Pair, [UInt8]>,
            piece: (Int) -> Int
        ) -> TLSError? {
            var offset = 0
            while offset < bytes.count {
                let end = min(bytes.count, offset + max(1, piece(bytes.count - offset)))
                _ = bytes[offset..<end].withUnsafeBytes { session.feed($0) }
                offset = end
                while true {
                    let result = buffer.withUnsafeMutableBytes { session.read(into: $0) }
                    switch result {
                    case .data(let count): self[keyPath: received].append(contentsOf: buffer[..<count])
                    case .needMoreInput, .closed: break
                    case .failed(let error): return error
                    }
                    if case .data = result { continue }
                    break
                }
            }
            return nil
        }
    }

    @Test(arguments: [1, 7, 1500, 1 << 20])
    func handshakeAndDataSurviveAnySplit(piece: Int) throws {
        var pair = try Pair()
        #expect(pair.client.startHandshake() == nil)
        #expect(pair.pump { _ in piece } == nil)
        #expect(pair.client.handshakeDone && pair.server.handshakeDone)
        let message = Array("a confidential check-in".utf8)
        let taken = try message.withUnsafeBytes { try pair.client.encrypt($0) }
        #expect(taken == message.count)
        #expect(pair.pump { _ in piece } == nil)
        #expect(pair.serverReceived == message)
        pair.server.shutdown()
        #expect(pair.pump { _ in piece } == nil)
    }

    @Test func randomSplitsWithSeed() throws {
        let seed: UInt64 = 0x5EED
        var generator = SplitMix64(seed: seed)
        var pair = try Pair()
        _ = pair.client.startHandshake()
        #expect(pair.pump { Int.random(in: 1...$0, using: &generator) } == nil, "seed \(seed)")
        let message = (0..<200_000).map { UInt8(truncatingIfNeeded: $0) }
        var offset = 0
        while offset < message.count {
            offset += try message[offset...].withUnsafeBytes { try pair.server.encrypt($0) }
        }
        #expect(pair.pump { Int.random(in: 1...$0, using: &generator) } == nil, "seed \(seed)")
        #expect(pair.clientReceived == message, "seed \(seed)")
    }

    @Test func nothingIsEncryptedBeforeTheHandshake() throws {
        let pair = try Pair()
        let taken = try [UInt8](repeating: 1, count: 10).withUnsafeBytes { try pair.client.encrypt($0) }
        #expect(taken == 0)
    }

    @Test func verificationFailuresAreClassified() throws {
        var wrongHost = try Pair(host: "elsewhere.example")
        _ = wrongHost.client.startHandshake()
        #expect(wrongHost.pump { $0 } == .hostnameMismatch)
        var expired = try Pair(certificate: "expired")
        _ = expired.client.startHandshake()
        #expect(expired.pump { $0 } == .expired)
    }
}
