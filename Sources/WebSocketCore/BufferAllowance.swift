/// Memory the transport grants one connection for what it buffers on the
/// peer's behalf (a message arriving in pieces, an inflated message).
///
/// WebSocketCore stays pure: it only asks before it grows a buffer and says
/// when it lets one go; the transport decides (one budget shared by every
/// connection of a server) and supplies the implementation, one per
/// connection, confined to the thread that drives the machine.
public protocol BufferAllowance: AnyObject, Sendable {
    /// Reserves `bytes` more. Returns false, reserving nothing, when they do not fit.
    func reserve(_ bytes: Int) -> Bool
    /// Gives back `bytes` reserved earlier.
    func release(_ bytes: Int)
}
