import SocketTransport
import WebSocketCore

/// What an `EchoHarness` serves: the transport's settings and the `/echo`
/// endpoint's, with the same names as `iopd`'s settings so transport tests
/// read like the server's. No RoomServer: transport tests build without it.
public struct EchoSettings: Sendable {
    /// Whether `/echo` upgrades (otherwise it is 404 like any other path).
    public var echoEnabled = true
    /// Frame and message limits of `/echo`: 16 MiB, the large limits the RFC 6455 suites exercise.
    public var echoLimits = WebSocketLimits(maxFramePayloadLength: 16 << 20, maxMessageLength: 16 << 20)
    /// Outbound queue bound of an `/echo` connection: 64 MiB.
    public var echoMaxQueuedBytes = 64 << 20
    /// The transport's limits and timeouts (its defaults).
    public var transport = TransportConfiguration()
    /// Accept permessage-deflate offers with zlib's defaults (off, as in `iopd`).
    public var compression = false
    /// The server's TLS identity; nil: plain.
    public var tls: TLSConfiguration?

    /// Creates the settings; see each property for its default.
    public init() {}

    /// The defaults, under the name transport tests have always used.
    public static var echoTesting: EchoSettings { EchoSettings() }

    /// The options an `/echo` upgrade gets.
    public var endpointOptions: WebSocketEndpointOptions {
        WebSocketEndpointOptions(
            limits: echoLimits, maxQueuedBytes: echoMaxQueuedBytes,
            compression: compression ? PerMessageDeflateConfiguration() : nil)
    }
}
