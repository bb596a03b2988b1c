import Glibc
import Testing

@testable import SocketTransport

/// The outbound queue against a real socket pair: many chunks per `sendmsg(2)`,
/// partial writes when the socket is full, and nothing reordered, lost or repeated.
@Suite struct OutboundQueueTests {
    /// A connected, non-blocking Unix stream pair with a small send buffer.
    private static func socketPair() throws -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        let status = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0, &fds)
        try #require(status == 0)
        var size: Int32 = 4096
        setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        return (fds[0], fds[1])
    }

    /// Reads whatever is waiting on `fd`.
    private static func drain(_ fd: Int32) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return received }
            received += buffer[..<count]
        }
    }

    /// Flushes and reads alternately until the queue is empty (bounded), then
    /// reads what is left; returns everything read.
    private static func flushAll(_ queue: inout OutboundQueue, from writer: Int32, to reader: Int32) throws -> [UInt8] {
        var received: [UInt8] = []
        for _ in 0..<10_000 where !queue.isEmpty {
            _ = try queue.flush(to: writer)
            received += drain(reader)
        }
        return received + drain(reader)
    }

    /// Chunks of 1…`maximum` bytes whose contents give their position away.
    private static func chunks(_ count: Int, maximum: Int) -> [[UInt8]] {
        (0..<count).map { index in
            (0..<(1 + (index * 7919) % maximum)).map { UInt8(truncatingIfNeeded: index &+ $0) }
        }
    }

    @Test func manyChunksArriveInOrderAcrossSystemCalls() throws {
        let (writer, reader) = try Self.socketPair()
        defer {
            close(writer)
            close(reader)
        }
        let chunks = Self.chunks(OutboundQueue.maximumVectors * 3 + 5, maximum: 300)
        var queue = OutboundQueue()
        for chunk in chunks { queue.append(chunk) }
        #expect(queue.byteCount == chunks.reduce(0) { $0 + $1.count })

        let received = try Self.flushAll(&queue, from: writer, to: reader)
        #expect(queue.isEmpty)
        #expect(received == Array(chunks.joined()))
    }

    @Test func aFullSocketLeavesTheRestQueuedFromTheRightByte() throws {
        let (writer, reader) = try Self.socketPair()
        defer {
            close(writer)
            close(reader)
        }
        let chunks = Self.chunks(40, maximum: 50_000)
        let total = chunks.reduce(0) { $0 + $1.count }
        var queue = OutboundQueue()
        for chunk in chunks { queue.append(chunk) }

        let emptied = try queue.flush(to: writer)
        #expect(!emptied, "a 4 KiB send buffer cannot take \(total) bytes at once")
        #expect(queue.byteCount < total)
        let first = Self.drain(reader)
        #expect(first.count == total - queue.byteCount)

        let rest = try Self.flushAll(&queue, from: writer, to: reader)
        #expect(first + rest == Array(chunks.joined()))
    }

    /// Appends and flushes interleaved, as a connection does: one chunk at a
    /// time, sometimes several, onto a socket that is sometimes full and
    /// read only in part; the bytes arrive in order, each once.
    @Test func appendsBetweenPartialFlushesKeepTheirOrder() throws {
        let (writer, reader) = try Self.socketPair()
        defer {
            close(writer)
            close(reader)
        }
        let chunks = Self.chunks(600, maximum: 3_000)
        var queue = OutboundQueue()
        var received: [UInt8] = []
        var next = 0
        for step in 0..<400 where next < chunks.count {
            for _ in 0..<(1 + step % 3) where next < chunks.count {
                queue.append(chunks[next])
                next += 1
            }
            _ = try queue.flush(to: writer)
            if step % 4 != 3 { received += Self.drain(reader) }  // now and then the reader falls behind
        }
        while next < chunks.count {
            queue.append(chunks[next])
            next += 1
        }
        received += try Self.flushAll(&queue, from: writer, to: reader)
        #expect(queue.isEmpty)
        #expect(received == Array(chunks.joined()))
    }

    @Test func droppingKeepsTheHalfWrittenChunkWhole() throws {
        let (writer, reader) = try Self.socketPair()
        defer {
            close(writer)
            close(reader)
        }
        let big = [UInt8](repeating: 0xAB, count: 200_000)
        var queue = OutboundQueue()
        queue.append(big)
        queue.append([1, 2, 3])
        _ = try queue.flush(to: writer)
        let first = Self.drain(reader)
        #expect(first.count > 0 && first.count < big.count)

        queue.dropUnstarted()
        #expect(queue.byteCount == big.count - first.count)
        let rest = try Self.flushAll(&queue, from: writer, to: reader)
        #expect(first + rest == big)
    }

    @Test func aClosedPeerIsAnError() throws {
        let (writer, reader) = try Self.socketPair()
        defer { close(writer) }
        close(reader)
        var queue = OutboundQueue()
        queue.append([1, 2, 3])
        queue.append([4, 5])
        #expect(throws: SocketError.self) { try queue.flush(to: writer) }
    }
}
