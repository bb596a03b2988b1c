import RoomCore

/// What the room connection is doing, shown on the status line.
public enum ConnectionState: Sendable, Hashable, CustomStringConvertible {
    /// Opening the connection (attempt 1 is the first).
    case connecting(attempt: Int)
    /// Connected to the room.
    case connected
    /// The connection dropped; the next attempt starts after `delay`.
    case reconnecting(in: Duration, attempt: Int, cause: ClientFailure)
    /// Over, for good: the session ended, the member left, or the room turned them away.
    case closed(ClientFailure)

    /// A short line for the status bar, e.g. "reconnecting in 4 s (attempt 3)".
    public var description: String {
        switch self {
        case .connecting(let attempt): attempt == 1 ? "connecting…" : "connecting… (attempt \(attempt))"
        case .connected: "connected"
        case .reconnecting(_, _, let cause) where cause.isRoomMoving:
            "the group is moving to another server — rejoining…"
        case .reconnecting(let delay, let attempt, _):
            "connection lost — reconnecting in \(Self.seconds(delay)) s (attempt \(attempt))"
        case .closed(let failure): "closed: \(failure.summary)"
        }
    }

    /// True once the connection will not come back.
    public var isFinal: Bool {
        if case .closed = self { return true }
        return false
    }

    private static func seconds(_ delay: Duration) -> Int64 { max(1, (delay.milliseconds + 999) / 1000) }
}
