import RoomCore
import WebSocketCore

/// The close codes a room connection ends with (documented in docs/PROTOCOL.md).
/// Room reasons use the private-use range 4000–4999 so a client can tell a
/// person exactly what happened.
public enum RoomCloseCode {
    /// 4000: refused on arrival; the reason is the RoomError code (room_full, room_locked, removed, session_ended...).
    public static let refused = CloseCode(4000)
    /// 4001: removed by a facilitator for the rest of the session.
    public static let removed = CloseCode(4001)
    /// 4002: admission declined by a facilitator.
    public static let declined = CloseCode(4002)
    /// 4003: the session ended.
    public static let sessionEnded = CloseCode(4003)
    /// 4004: the same member connected again elsewhere.
    public static let replaced = CloseCode(4004)
    /// 4005: logged off after sending no command for `rooms.idleLogoffMinutes`
    /// (an unattended device); a fresh connection may rejoin while the token is valid.
    public static let idleLoggedOff = CloseCode(4005)
    /// 4006: the member's token was revoked by an operator; it cannot resume.
    public static let revoked = CloseCode(4006)
    /// 4007: the member connected more often than the room's reconnect allowance
    /// (`reconnectBurst`, `reconnectIntervalSeconds`); retry after a pause. Nothing
    /// changed for anyone, the member's present connection and place included.
    public static let tooManyReconnects = CloseCode(4007)
    /// 4008: `room_moved`: this server no longer hosts the room (its lease went
    /// to another node, or could not be renewed); reconnect at once, as after a
    /// lost connection: the room's owner lets the member back into their place.
    public static let roomMoved = CloseCode(4008)
    /// The code and reason of ``roomMoved``.
    static let roomMovedClose = (roomMoved, "room_moved")
    /// 1008: too many messages (rate limit) or too many invalid ones, after warnings.
    public static let policy = CloseCode.policyViolation
    /// 1003: a binary frame; the room protocol is JSON text.
    public static let textOnly = CloseCode.unsupportedData

    /// The code and reason text for a room's disconnect reason.
    static func `for`(_ reason: DisconnectReason) -> (CloseCode, String) {
        switch reason {
        case .removed: (removed, "removed")
        case .declined: (declined, "declined")
        case .sessionEnded: (sessionEnded, "session ended")
        case .replacedByNewerConnection: (replaced, "replaced by a newer connection")
        case .idleLoggedOff: (idleLoggedOff, "idle_logged_off")
        case .refused(let error): (error == .tooManyReconnects ? tooManyReconnects : refused, error.code)
        }
    }
}
