/// The protocol version this build speaks.
///
/// Every message in either direction carries it as `"v"`; a client message with
/// another value is refused with `unsupported_version`.
public enum ProtocolVersion {
    /// Version 1, documented in `docs/PROTOCOL.md`, section "Room protocol v1": the
    /// messages' format, `"v":1` under either subprotocol below.
    public static let current = 1
}

/// The room protocol's revisions a connection can choose in its upgrade, with the
/// WebSocket subprotocol (`Sec-WebSocket-Protocol`, RFC 6455 §1.9 and §4.2.2; the
/// same field over an HTTP/2 stream, RFC 8441). `docs/PROTOCOL.md`, "Versions".
public enum RoomProtocolRevision: Int, Sendable, Hashable, CaseIterable {
    /// No subprotocol (or none this server knows): every command is answered by
    /// an `ack` or an `error`, and a member's own chat message comes as the event
    /// everyone else gets.
    case v1 = 1
    /// `iop.v2`: as v1, except that a command posting a message its sender also
    /// receives is answered by the sender's own copy of that event, carrying the
    /// command's id as `"ack"`, instead of an `ack` followed by the copy.
    case v2 = 2

    /// The subprotocol name a client offers for v2.
    public static let v2Subprotocol = "iop.v2"

    /// The subprotocol names this server accepts, in its order of preference.
    public static let subprotocols = [v2Subprotocol]

    /// The revision a subprotocol chosen in the upgrade stands for (none: v1).
    public init(subprotocol: String?) {
        self = subprotocol == Self.v2Subprotocol ? .v2 : .v1
    }

    /// Whether the sender's own copy of a message it posted is its acknowledgement.
    public var ownCopyAcknowledges: Bool {
        switch self {
        case .v1: false
        case .v2: true
        }
    }
}
