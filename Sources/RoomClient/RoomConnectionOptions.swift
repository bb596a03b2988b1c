import SocketTransport

/// Reconnection limits.
public struct RoomConnectionOptions: Sendable {
    /// Delays between attempts.
    public var backoff = Backoff()
    /// Attempts before giving up when the room was never reached. Default 3: a wrong
    /// address fails within seconds, a momentary blip is still ridden out.
    public var attemptsBeforeFirstConnection = 3
    /// How long to keep trying after a connection was lost. Default 2 minutes: the
    /// server's reconnect window, after which the place is gone anyway.
    public var giveUpAfter: Duration = .seconds(120)
    /// Transport settings (handshake timeout 10 s by default).
    public var transport = TransportConfiguration()
    /// How often to send a `ping` command while connected, so the round-trip time stays
    /// current for a member who only listens. Default `nil` (none): scripts reading
    /// the JSON lines see only the answers to their own commands.
    public var pingInterval: Duration?

    /// Default options.
    public init() {}
}
