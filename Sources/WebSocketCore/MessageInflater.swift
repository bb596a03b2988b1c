/// Inflates the payload of compressed messages (RFC 7692 §7.2.2) for
/// `WebSocketStateMachine`. WebSocketCore stays free of zlib: the transport
/// supplies the implementation, one per connection, confined to the thread
/// that drives the machine.
public protocol MessageInflater: AnyObject, Sendable {
    /// Inflates the next `compressed` bytes of the current message, appending
    /// the output to `output`. Throws `.messageTooBig` before `output` would
    /// grow beyond `limit` bytes, and `.invalidCompressedData` on corrupt data.
    /// Before each append it calls `makeRoom(&output, count)`, which reserves
    /// memory for `count` more bytes (or throws, and the inflation stops there).
    func inflate(
        _ compressed: UnsafeRawBufferPointer, appendingTo output: inout [UInt8], limit: Int,
        makeRoom: (inout [UInt8], Int) throws(ProtocolViolation) -> Void
    ) throws(ProtocolViolation)

    /// Ends the current message: inflates the `00 00 ff ff` tail the sender
    /// removed (§7.2.2), and resets the context when the peer does not take it
    /// over. `makeRoom` as for `inflate`.
    func finishMessage(
        appendingTo output: inout [UInt8], limit: Int,
        makeRoom: (inout [UInt8], Int) throws(ProtocolViolation) -> Void
    ) throws(ProtocolViolation)
}
