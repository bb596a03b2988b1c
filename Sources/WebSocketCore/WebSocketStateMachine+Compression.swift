extension WebSocketStateMachine {
    /// Compressed input may exceed the inflated limit a little: deflate's
    /// stored blocks add 5 bytes per 64 KiB, and the sender may add empty
    /// blocks. Beyond this much, the message is refused (1009) even if it
    /// would inflate to nothing, so a peer cannot stream endless input.
    func checkCompressedLength(_ frameLength: Int, after received: Int) throws(ProtocolViolation) {
        let allowance = limits.maxMessageLength + limits.maxMessageLength >> 10 + 1024
        if frameLength > allowance - received { throw .messageTooBig }
    }

    /// Inflates one chunk of a compressed message into its buffer (RFC 7692
    /// §7.2.2), validating text as it comes out.
    func inflate(_ chunk: UnsafeRawBufferPointer, into partial: inout PartialMessage) throws(ProtocolViolation) {
        guard let inflater else { throw .invalidCompressedData }
        partial.compressedCount += chunk.count
        let before = partial.bytes.count
        var charged = partial.charged
        defer { partial.charged = charged }
        try inflater.inflate(chunk, appendingTo: &partial.bytes, limit: limits.maxMessageLength) {
            output, extra throws(ProtocolViolation) in try makeRoom(in: &output, charged: &charged, for: extra)
        }
        try validateInflated(&partial, from: before)
    }

    /// Inflates the message's end (the `00 00 ff ff` tail) once its last frame is in.
    func finishInflating(_ partial: inout PartialMessage) throws(ProtocolViolation) {
        guard let inflater else { throw .invalidCompressedData }
        let before = partial.bytes.count
        var charged = partial.charged
        defer { partial.charged = charged }
        try inflater.finishMessage(appendingTo: &partial.bytes, limit: limits.maxMessageLength) {
            output, extra throws(ProtocolViolation) in try makeRoom(in: &output, charged: &charged, for: extra)
        }
        try validateInflated(&partial, from: before)
    }

    private func validateInflated(_ partial: inout PartialMessage, from start: Int) throws(ProtocolViolation) {
        guard partial.isText, partial.bytes.count > start else { return }
        let valid = partial.bytes.withUnsafeBytes { bytes in
            partial.validator.validate(UnsafeRawBufferPointer(rebasing: bytes[start...]))
        }
        if !valid { throw .invalidUTF8 }
    }
}
