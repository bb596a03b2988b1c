/// Whether and how a client speaks HTTP/2 (RFC 9113) to open a WebSocket
/// (RFC 8441, extended CONNECT).
public enum HTTP2ClientMode: String, Sendable, Hashable, CaseIterable {
    /// Over TLS, offer `h2` and `http/1.1` in ALPN (RFC 7301) and use HTTP/2
    /// when the server selects it; HTTP/1.1 otherwise, and always over plain
    /// TCP. The default: a server that speaks h2 gets one connection for many rooms.
    case negotiate
    /// Cleartext HTTP/2 with prior knowledge (h2c, RFC 9113 §3.3) over plain
    /// TCP, for a server known to accept it (iopd on loopback, or with
    /// `http2.cleartext: allowed`); over TLS the same as `negotiate`.
    case priorKnowledge = "prior-knowledge"
    /// HTTP/1.1 only (ALPN offers `http/1.1` alone).
    case off
}
