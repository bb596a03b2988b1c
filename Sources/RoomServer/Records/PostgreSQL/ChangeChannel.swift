/// What one node changes and every other node must learn at once: each is a
/// PostgreSQL notification channel (the node that stores a change NOTIFYs in
/// the same transaction, with an id as the only payload) and the table the
/// feed re-reads after being away, so nothing changed meanwhile is missed.
public enum ChangeChannel: String, Sendable, CaseIterable {
    /// A token was revoked: the payload is its id (jti).
    case revocations = "iop_revocations"
    /// A room was created or changed at run time: the payload is its id.
    case rooms = "iop_rooms"
    /// A room's program (schedule, roster) was changed at run time: the payload is the room's id.
    case programs = "iop_programs"

    /// Every id the channel covers, read again after the feed reconnects.
    var everything: String {
        switch self {
        case .revocations: "SELECT token_id FROM revocations"
        case .rooms: "SELECT id FROM rooms ORDER BY created_at, id"
        case .programs: "SELECT room FROM room_programs"
        }
    }
}
