import RoomServer
import WebSocketCore

extension ServerSettings {
    /// The embedded defaults with `/echo` turned on (it is off by default), with
    /// the large limits the RFC 6455 suites exercise: 16 MiB frames and
    /// messages, 64 MiB of outbound queue. `ServerHarness` starts with these;
    /// a test that needs the real defaults passes `ServerSettings()`.
    public static var echoTesting: ServerSettings {
        var settings = ServerSettings()
        settings.echoEnabled = true
        settings.echoLimits = WebSocketLimits(maxFramePayloadLength: 16 << 20, maxMessageLength: 16 << 20)
        settings.echoMaxQueuedBytes = 64 << 20
        return settings
    }
}
