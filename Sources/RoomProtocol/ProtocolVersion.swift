/// The protocol version this build speaks.
///
/// Every message in either direction carries it as `"v"`; a client message with
/// another value is refused with `unsupported_version`.
public enum ProtocolVersion {
    /// Version 1, documented in `docs/PROTOCOL.md`, section "Room protocol v1".
    public static let current = 1
}
