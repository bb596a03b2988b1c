import Glibc

/// The bytes waiting to be written to one socket, in order.
///
/// Chunks are shared, not copied: a broadcast frame encoded once sits in the
/// queue of every recipient as the same array storage. A flush hands up to
/// `maximumVectors` chunks to one `sendmsg(2)`.
struct OutboundQueue {
    /// Chunks per system call (well under `IOV_MAX`, 1,024 on Linux).
    static let maximumVectors = 64

    private var chunks: [[UInt8]] = []
    private var head = 0
    /// Bytes of `chunks[head]` already written.
    private var headOffset = 0
    /// Bytes waiting, across all chunks.
    private(set) var byteCount = 0

    var isEmpty: Bool { byteCount == 0 }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        chunks.append(bytes)
        byteCount += bytes.count
    }

    /// Writes as much as the socket takes, several chunks per system call.
    /// Returns whether the queue is now empty.
    mutating func flush(to fd: Int32) throws(SocketError) -> Bool {
        if head + 1 == chunks.count {  // one chunk (an echo, a single event): a plain send(2)
            return try flush { bytes throws(SocketError) in try Syscall.write(fd, bytes) }
        }
        while head < chunks.count {
            let end = min(chunks.count, head + Self.maximumVectors)
            let offered = chunks[head].count - headOffset + chunks[(head + 1)..<end].reduce(0) { $0 + $1.count }
            let result = withUnsafeTemporaryAllocation(of: iovec.self, capacity: end - head) { vectors in
                pinned(head, end: end, vectors: vectors) { Syscall.writeVectors(fd, $0) }
            }
            let written = try result.get()
            consume(written)
            if written < offered { break }  // the socket is full
        }
        compact()
        return isEmpty
    }

    /// Points `vectors` at chunks `index..<end` (the head chunk from its
    /// offset), keeping each chunk's storage pinned while `write` runs.
    private func pinned<R>(
        _ index: Int, end: Int, vectors: UnsafeMutableBufferPointer<iovec>,
        _ write: (UnsafeBufferPointer<iovec>) -> R
    ) -> R {
        guard index < end else { return write(UnsafeBufferPointer(vectors)) }
        return chunks[index].withUnsafeBytes { bytes in
            let start = index == head ? headOffset : 0
            vectors[index - head] = iovec(
                iov_base: UnsafeMutableRawPointer(mutating: bytes.baseAddress! + start), iov_len: bytes.count - start)
            return pinned(index + 1, end: end, vectors: vectors, write)
        }
    }

    /// Forgets `count` written bytes from the front.
    private mutating func consume(_ count: Int) {
        var remaining = count
        byteCount -= count
        while remaining > 0 {
            let left = chunks[head].count - headOffset
            if remaining < left {
                headOffset += remaining
                return
            }
            remaining -= left
            chunks[head] = []
            head += 1
            headOffset = 0
        }
    }

    /// Hands the waiting bytes, in order, to `write`, which returns how many it
    /// took (0: no more for now; e.g. TLS encrypting them). Returns whether the queue is now empty.
    mutating func flush<E: Error>(through write: (UnsafeRawBufferPointer) throws(E) -> Int) throws(E) -> Bool {
        while head < chunks.count {
            let offset = headOffset
            let written = try chunks[head].withUnsafeBytes { bytes in
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

    /// Forgets every chunk not yet begun (the one half-written stays, so the
    /// stream of frames stays well formed). Used when dropping a slow consumer.
    mutating func dropUnstarted() {
        guard head < chunks.count else { return }
        let keep = headOffset > 0 ? 1 : 0
        for index in (head + keep)..<chunks.count { byteCount -= chunks[index].count }
        chunks.removeSubrange((head + keep)...)
        compact()
    }

    private mutating func compact() {
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: chunks.capacity <= 16)
            head = 0
        } else if head > 32, head * 2 > chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }
}
