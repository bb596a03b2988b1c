/// Where cleartext HTTP/2 with prior knowledge (h2c, RFC 9113 §3.3) is accepted.
public enum HTTP2Cleartext: String, Sendable, Hashable, CaseIterable {
    /// Only from loopback peers (a local proxy, tests). The default.
    case loopback
    /// From any peer: for a proxy in front that speaks h2 to its backends.
    case allowed
    /// Never: a cleartext connection is HTTP/1.1 only.
    case off
}

/// HTTP/2 limits of a server (RFC 9113, RFC 8441), each with a safe default.
/// Every one guards against a known attack; see docs/PROTOCOL.md, "HTTP/2".
public struct HTTP2Configuration: Sendable, Hashable {
    /// Whether TLS offers `h2` in ALPN (RFC 7301) and accepts HTTP/2. Default
    /// true: `h2` is preferred when the client offers it.
    public var enabled = true
    /// Where h2c with prior knowledge is accepted. Default `.loopback`.
    public var cleartext = HTTP2Cleartext.loopback
    /// SETTINGS_MAX_CONCURRENT_STREAMS we send: streams one connection may
    /// have open at once (stream exhaustion). Default 100, RFC 9113 §6.5.2's
    /// recommended minimum: ten rooms and their plain requests fit many times over.
    public var maxConcurrentStreams = 100
    /// SETTINGS_MAX_HEADER_LIST_SIZE we send and enforce while decoding: the
    /// most bytes of one request's header list (names + values + 32 per
    /// field, RFC 9113 §6.5.2). Past it the stream is reset (HPACK bomb,
    /// CONTINUATION flood). Default 16 KiB, the HTTP/1.1 head limit.
    public var maxHeaderListSize = 16 * 1024
    /// Streams the client may reset (RST_STREAM) per `floodWindow` before the
    /// connection is closed with GOAWAY ENHANCE_YOUR_CALM (rapid reset,
    /// CVE-2023-44487). Default 100: a browser cancelling a page's requests
    /// resets a handful.
    public var maxResetsPerWindow = 100
    /// Frames that make no progress (PING, SETTINGS, PRIORITY, and empty DATA
    /// without END_STREAM) the client may send per `floodWindow` before
    /// GOAWAY ENHANCE_YOUR_CALM. Default 1,000.
    public var maxIdleFramesPerWindow = 1000
    /// The window the two counters above count in. Default 10 s.
    public var floodWindow: Duration = .seconds(10)
    /// Most bytes the connection's write queue (what nghttp2 produced and the
    /// socket has not taken) may hold before the connection is closed: a
    /// client that never reads (a zero TCP window) while raising its HTTP/2
    /// windows. Default 4 MiB, the room queue limit.
    public var maxQueuedBytes = 4 << 20
    /// Control frames (SETTINGS ACK, PING ACK, RST_STREAM) nghttp2 may queue
    /// for a client that does not read (`nghttp2_option_set_max_outbound_ack`).
    /// Default 1,000 (nghttp2's).
    public var maxOutboundAcks = 1000
    /// Entries one SETTINGS frame may carry (`nghttp2_option_set_max_settings`).
    /// Default 32 (nghttp2's): there are seven settings.
    public var maxSettingsEntries = 32

    /// Creates the default configuration.
    public init() {}
}
