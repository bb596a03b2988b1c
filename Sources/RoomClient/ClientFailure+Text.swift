/// The human wording of refusals and closes (docs/PROTOCOL.md lists every code).
extension ClientFailure {
    static func refusalSummary(status: Int, code: String) -> String {
        switch (status, code) {
        case (401, "expired_token"): "Your join token has expired."
        case (401, "missing_token"): "The server did not receive a join token."
        case (401, "token_not_yet_valid"): "Your join token is not valid yet."
        case (401, _): "The server did not accept your join token."
        case (403, "wrong_room"): "Your join token is for a different room."
        case (403, "revoked_token"): "Your join token was withdrawn."
        case (403, "wrong_role"): "Your join token does not match your role in this room."
        case (403, "invalid_alias"): "The name on your join token cannot be shown in the room."
        case (403, _): "The server refused your join token."
        case (404, _): "There is no room by that name on this server."
        case (503, "room_elsewhere"): "The room is moving to another server."
        case (503, _): "The server is busy or restarting."
        default: "The server refused the connection (HTTP \(status))."
        }
    }

    static func refusalAdvice(status: Int, code: String) -> String {
        switch (status, code) {
        case (401, "expired_token"): "Ask your facilitator or program for a new invitation."
        case (401, "token_not_yet_valid"):
            "Try again at the time your invitation gives; if that time has come, ask your program for a new one."
        case (401, _): "Check that you copied the whole token, or ask for a new invitation."
        case (403, "wrong_room"): "Check the room name in your invitation."
        case (403, _): "Contact your program; they can issue a new invitation."
        case (404, _): "Check the room name and server address in your invitation."
        case (503, _): "Try again in a minute."
        default: "Try again later; if it keeps happening, contact your program."
        }
    }

    static func closeSummary(code: UInt16?, reason: String?) -> String {
        switch code {
        case nil: return "The connection to the room was lost."
        case 1000?: return "You left the room."
        case 1001?: return "The server is restarting."
        case 1003?, 1002?, 1007?: return "The connection was closed because of a client error."
        case 1008?: return "The server closed the connection: too many messages too quickly."
        case 1013?: return "The server closed the connection because this device was too slow to keep up."
        case 4000?:
            switch reason {
            case "room_full"?: return "The room is full."
            case "room_locked"?: return "The room is locked to newcomers."
            case "removed"?: return "You were removed from this session."
            case "declined"?: return "A facilitator did not admit you to this session."
            case "session_ended"?: return "This session is over."
            case "not_permitted"?: return "Your role may not join this room."
            case "role_conflict"?: return "Someone with your member id is already in this room in another role."
            default: return "The room did not let you in (it may be full or locked, or the session is over)."
            }
        case 4001?: return "A facilitator removed you from this session."
        case 4002?: return "A facilitator did not admit you to this session."
        case 4003?: return "The session has ended. Thank you for being here."
        case 4004?: return "You joined this room from another window or device; this one was closed."
        case 4005?: return "You were logged off because nothing was sent from this device for a long time."
        case 4006?: return "Your join token was withdrawn by the program."
        case 4007?: return "The room refused to reconnect this often."
        case 4008?: return "The room moved to another server."
        case let other?: return "The room closed the connection (code \(other))."
        }
    }

    static func closeAdvice(code: UInt16?, reason: String?) -> String {
        switch code {
        case nil, 1001?, 1013?, 4007?, 4008?:
            return "iop tries to reconnect by itself; you keep your place for a few minutes."
        case 1000?, 4003?: return ""
        case 1008?: return "Wait a moment before sending more."
        case 4000?:
            switch reason {
            case "room_full"?, "room_locked"?: return "Contact your facilitator; they can let you in."
            case "session_ended"?: return "Join again to wait for the group's next session."
            case "role_conflict"?: return "Contact your program: your invitation shares its id with someone else's."
            default: return "Contact your facilitator or program if you think this is a mistake."
            }
        case 4001?, 4002?: return "If you need support, contact your program or your facilitator directly."
        case 4004?: return "Use the other window, or join again here to move the session to this one."
        case 4005?: return "Join again when you are back; a facilitator will let you in."
        case 4006?: return "Ask your program for a new invitation if you should still be in this group."
        default: return "Try joining again; if it keeps happening, contact your program."
        }
    }
}
