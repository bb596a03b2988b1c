import Glibc

/// The bytes waiting to be written to one WebSocket's peer, in order.
///
/// Chunks are shared, not copied: a broadcast frame encoded once sits in the
/// queue of every recipient as the same array storage. A flush hands up to
/// `maximumVectors` chunks to one `sendmsg(2)`.
///
/// The chunk at the front is held apart from the ones behind it: in the
/// common case (one frame queued and written in the same turn) the queue
/// touches no storage of its own, only the frame's, which the encoder just
/// wrote. A list kept for that case was a cold cache line per recipient
/// (perf: 1.8 % of the server's CPU at the `normal` load, 2.8 % at `10k`).
struct OutboundQueue {
    /// Chunks per system call (well under `IOV_MAX`, 1,024 on Linux).
    static let maximumVectors = 64

    /// The chunk being written; empty exactly when the queue is.
    private var front: [UInt8] = []
    /// Bytes of `front` already written.
    private var frontOffset = 0
    /// The chunks after `front`, from `restHead` on.
    private var rest: [[UInt8]] = []
    private var restHead = 0
    /// Bytes waiting, across all chunks.
    private(set) var byteCount = 0

    var isEmpty: Bool { byteCount == 0 }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if isEmpty {
            front = bytes
        } else {
            rest.append(bytes)
        }
        byteCount += bytes.count
    }

    /// Writes as much as the socket takes, several chunks per system call.
    /// Returns whether the queue is now empty.
    mutating func flush(to fd: Int32) throws(SocketError) -> Bool {
        if restHead == rest.count {  // one chunk (an echo, a single event): a plain send(2)
            return try flush { bytes throws(SocketError) in try Syscall.write(fd, bytes) }
        }
        while !isEmpty {
            let end = min(rest.count, restHead + Self.maximumVectors - 1)
            let offered = front.count - frontOffset + rest[restHead..<end].reduce(0) { $0 + $1.count }
            let result = withUnsafeTemporaryAllocation(of: iovec.self, capacity: 1 + end - restHead) { vectors in
                front.withUnsafeBytes { bytes in
                    vectors[0] = iovec(
                        iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + frontOffset),
                        iov_len: bytes.count - frontOffset)
                    return pinned(restHead, end: end, vectors: vectors) { Syscall.writeVectors(fd, $0) }
                }
            }
            let written = try result.get()
            consume(written)
            if written < offered { break }  // the socket is full
        }
        compact()
        return isEmpty
    }

    /// Points `vectors` at `rest[index..<end]` (after the front's vector),
    /// keeping each chunk's storage pinned while `write` runs.
    private func pinned<R>(
        _ index: Int, end: Int, vectors: UnsafeMutableBufferPointer<iovec>,
        _ write: (UnsafeBufferPointer<iovec>) -> R
    ) -> R {
        guard index < end else { return write(UnsafeBufferPointer(rebasing: vectors[...(end - restHead)])) }
        return rest[index].withUnsafeBytes { bytes in
            vectors[1 + index - restHead] = iovec(
                iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress!), iov_len: bytes.count)
            return pinned(index + 1, end: end, vectors: vectors, write)
        }
    }

    /// Forgets `count` written bytes from the front.
    private mutating func consume(_ count: Int) {
        var remaining = count
        byteCount -= count
        while remaining > 0 {
            let left = front.count - frontOffset
            if remaining < left {
                frontOffset += remaining
                return
            }
            remaining -= left
            advance()
        }
    }

    /// Moves the next chunk to the front (or empties it).
    private mutating func advance() {
        frontOffset = 0
        if restHead < rest.count {
            front = rest[restHead]
            rest[restHead] = []
            restHead += 1
        } else {
            front = []
        }
    }

    /// Hands the waiting bytes, in order, to `write`, which returns how many it
    /// took (0: no more for now; e.g. TLS encrypting them). Returns whether the queue is now empty.
    mutating func flush<E: Error>(through write: (UnsafeRawBufferPointer) throws(E) -> Int) throws(E) -> Bool {
        while !isEmpty {
            let offset = frontOffset
            let written = try front.withUnsafeBytes { bytes in
                Result { () throws(E) in
                    try write(UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                }
            }.get()
            if written == 0 { break }
            consume(written)
        }
        compact()
        return isEmpty
    }

    /// Copies up to `buffer.count` waiting bytes, in order, into `buffer` and
    /// forgets them; returns how many (an HTTP/2 stream's data source, a test's channel).
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        var copied = 0
        _ = flush { bytes in
            let count = min(bytes.count, buffer.count - copied)
            guard count > 0 else { return 0 }
            UnsafeMutableRawBufferPointer(rebasing: buffer[copied..<(copied + count)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[..<count]))
            copied += count
            return count
        }
        return copied
    }

    /// Forgets every chunk not yet begun (the one half-written stays, so the
    /// stream of frames stays well formed). Used when dropping a slow consumer.
    mutating func dropUnstarted() {
        for index in restHead..<rest.count { byteCount -= rest[index].count }
        rest = []
        restHead = 0
        if frontOffset == 0 {
            byteCount -= front.count
            front = []
        }
    }

    /// Lets go of the list behind the front once it is used up (a burst is
    /// rare: its storage is not worth keeping warm), or of its written part.
    private mutating func compact() {
        if restHead == rest.count {
            if restHead > 0 {
                rest = []
                restHead = 0
            }
        } else if restHead > 32, restHead * 2 > rest.count {
            rest.removeFirst(restHead)
            restHead = 0
        }
    }
}
