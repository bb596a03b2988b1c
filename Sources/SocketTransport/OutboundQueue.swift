/// The bytes waiting to be written to one socket, in order.
///
/// Chunks are shared, not copied: a broadcast frame encoded once sits in the
/// queue of every recipient as the same array storage.
struct OutboundQueue {
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

    /// Writes as much as the socket takes. Returns whether the queue is now empty.
    mutating func flush(to fd: Int32) throws(SocketError) -> Bool {
        try flush { bytes throws(SocketError) in try Syscall.write(fd, bytes) }
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
            byteCount -= written
            headOffset += written
            if headOffset == chunks[head].count {
                chunks[head] = []
                head += 1
                headOffset = 0
            }
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
