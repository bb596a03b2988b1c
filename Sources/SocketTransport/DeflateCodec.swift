import CZlib
import WebSocketCore

/// The four bytes a sync flush ends with, removed from every compressed
/// message and appended again before inflating (RFC 7692 §7.2.1, §7.2.2).
let deflateSyncTail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]

/// zlib cannot run raw deflate with an 8-bit window (`deflateInit2` refuses
/// -8). A 9-bit window is used instead: zlib's deflate never emits a distance
/// beyond `w_size - MIN_LOOKAHEAD` = 512 - 262 = 250 bytes, so its output
/// still fits a peer's 256-byte window; zlib itself maps 8 to 9 the same way
/// for its own format, and Python's websockets and others do likewise.
func zlibWindowBits(_ bits: Int) -> Int32 {
    Int32(min(max(bits, 9), 15))
}

/// Compresses outgoing messages for one connection: raw deflate, a sync flush
/// per message with its `00 00 ff ff` tail removed, and the context kept or
/// reset per message as negotiated (RFC 7692 §7.2.1).
public final class MessageDeflater {
    // Used only on the connection's event loop.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let resetsContext: Bool

    /// Creates a compressor for one direction; nil if zlib cannot (out of memory).
    public init?(_ direction: PerMessageDeflateAgreement.Direction) {
        stream.initialize(to: z_stream())
        resetsContext = direction.noContextTakeover
        let status = deflateInit2_(
            stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -zlibWindowBits(direction.windowBits), 8,
            Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            return nil
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// The compressed payload for one whole message.
    public func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))) + 16)
        var produced = 0
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        while true {  // bounded: each pass either finishes or doubles the output room
            let room = output.count - produced
            output.withUnsafeMutableBytes { buffer in
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
                stream.pointee.avail_out = uInt(room)
                _ = deflate(stream, Z_SYNC_FLUSH)  // Z_OK, or Z_BUF_ERROR when nothing was left to do
            }
            produced += room - Int(stream.pointee.avail_out)
            if stream.pointee.avail_out > 0 { break }
            output.append(contentsOf: repeatElement(0, count: output.count))
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        output.removeSubrange(produced...)
        if output.count >= 4, output.suffix(4).elementsEqual(deflateSyncTail) { output.removeLast(4) }
        // Nothing new since the last flush (an empty message with context
        // takeover): zlib writes nothing at all, and an empty payload plus the
        // tail does not inflate. One empty stored-block header does (§7.2.3.6).
        if output.isEmpty { output = [0x00] }
        if resetsContext { deflateReset(stream) }
        return output
    }
}

/// Inflates incoming compressed messages for one connection, with a hard
/// limit on the inflated size (RFC 7692 §7.2.2; a compression bomb is refused
/// with 1009 before it allocates beyond the limit).
public final class ZlibMessageInflater: MessageInflater, @unchecked Sendable {
    // Used only on the connection's event loop, through its state machine.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private let resetsContext: Bool
    /// The sender ended a deflate stream (a block with BFINAL) inside this
    /// message: the rest of the message is ignored and the context starts afresh.
    private var streamEnded = false
    /// Inflated bytes pass through here before joining the message (16 KiB).
    private var scratch = [UInt8](repeating: 0, count: 16 << 10)

    /// Creates an inflater for one direction; nil if zlib cannot (out of memory).
    public init?(_ direction: PerMessageDeflateAgreement.Direction) {
        stream.initialize(to: z_stream())
        resetsContext = direction.noContextTakeover
        let status = inflateInit2_(
            stream, -zlibWindowBits(direction.windowBits), zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            return nil
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Inflates the next bytes of a message, never beyond `limit` bytes of output.
    public func inflate(
        _ compressed: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], limit: Int,
        makeRoom: (inout [UInt8], Int) throws(ProtocolViolation) -> Void
    ) throws(ProtocolViolation) {
        guard !compressed.isEmpty, !streamEnded else { return }
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: compressed.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(compressed.count)
        defer { stream.pointee.next_in = nil }
        while true {  // bounded: every pass consumes input or produces output, else stops
            // One byte more than the room left, so that overflowing is seen, not silently cut.
            let offer = min(scratch.count, max(limit - output.count, 0) + 1)
            let status = scratch.withUnsafeMutableBytes { buffer in
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(offer)
                return CZlib.inflate(stream, Z_NO_FLUSH)
            }
            let produced = offer - Int(stream.pointee.avail_out)
            if produced > limit - output.count { throw .messageTooBig }
            try makeRoom(&output, produced)
            output.append(contentsOf: scratch[..<produced])
            switch status {
            case Z_OK:
                if stream.pointee.avail_in == 0, stream.pointee.avail_out > 0 { return }
            case Z_BUF_ERROR:
                return  // no progress possible: all input used
            case Z_STREAM_END:
                streamEnded = true
                return
            default:
                throw .invalidCompressedData
            }
        }
    }

    /// Inflates the message's `00 00 ff ff` tail and resets the context if agreed.
    public func finishMessage(
        appendingTo output: inout [UInt8], limit: Int,
        makeRoom: (inout [UInt8], Int) throws(ProtocolViolation) -> Void
    ) throws(ProtocolViolation) {
        if !streamEnded {
            var inflated = output
            output = []  // keep the buffer uniquely referenced while appending
            let result = deflateSyncTail.withUnsafeBytes { tail in
                Result { () throws(ProtocolViolation) in
                    try inflate(tail, appendingTo: &inflated, limit: limit, makeRoom: makeRoom)
                }
            }
            output = inflated
            try result.get()
        }
        if resetsContext || streamEnded {
            inflateReset(stream)
            streamEnded = false
        }
    }
}

/// The memory zlib holds for one connection's contexts (charged to the
/// memory budget when compression is agreed): deflate's window, hash chains
/// and pending buffer (4 × 2^windowBits + 128 KiB at memory level 8, plus its
/// state), inflate's window and state, and the inflater's 16 KiB scratch.
func zlibContextBytes(_ agreement: PerMessageDeflateAgreement, role: WebSocketStateMachine.Role) -> Int {
    let sending = Int(zlibWindowBits(agreement.sending(as: role).windowBits))
    let receiving = Int(zlibWindowBits(agreement.receiving(as: role).windowBits))
    let deflate = 4 << sending + 128 << 10 + 6 << 10
    let inflate = 1 << receiving + 8 << 10 + 16 << 10
    return deflate + inflate
}
