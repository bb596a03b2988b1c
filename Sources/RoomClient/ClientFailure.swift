import SocketTransport
import WebSocketCore

/// Why the client could not join, or why its room connection ended, in words a
/// participant understands, with what to do next and the process exit status.
public struct ClientFailure: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case invalidAddress(String)
        case invalidRoom(String)
        case missingToken
        case unreachable(String)
        case insecure(TLSProblem, detail: String)
        case refused(status: Int, code: String)
        case closed(code: UInt16?, reason: String?)
        case protocolFailure(String)
        case severalRooms(room: String, problem: SeveralRoomsProblem)
    }

    private let kind: Kind

    private init(kind: Kind) { self.kind = kind }

    /// The server URL could not be understood.
    public static func invalidAddress(_ url: String) -> Self { Self(kind: .invalidAddress(url)) }
    /// The room name is not a valid room id.
    public static func invalidRoom(_ room: String) -> Self { Self(kind: .invalidRoom(room)) }
    /// No token was given.
    public static let missingToken = Self(kind: .missingToken)
    /// The server could not be reached (connection refused, no route, timeout).
    public static func unreachable(_ detail: String) -> Self { Self(kind: .unreachable(detail)) }
    /// TLS failed: the server's identity could not be verified (untrusted, wrong name,
    /// expired…) or the secure connection could not be set up; each says which.
    public static func insecure(_ error: TLSError) -> Self {
        Self(kind: .insecure(TLSProblem(error), detail: error.detail))
    }
    /// The server refused the upgrade with an HTTP status; `code` is the machine code
    /// from the `code: sentence` body (e.g. `expired_token`), or "" when absent.
    public static func refused(status: Int, code: String) -> Self { Self(kind: .refused(status: status, code: code)) }
    /// The room closed the connection with this close code (nil: no close frame) and reason.
    public static func closed(code: UInt16?, reason: String?) -> Self {
        Self(kind: .closed(code: code, reason: reason))
    }
    /// A several-room join that `iop` refuses before connecting (`room` is the room,
    /// or the option's value, the problem is about).
    public static func severalRooms(_ room: String, _ problem: SeveralRoomsProblem) -> Self {
        Self(kind: .severalRooms(room: room, problem: problem))
    }
    /// The server sent something this client could not understand.
    public static func protocolFailure(_ detail: String) -> Self { Self(kind: .protocolFailure(detail)) }

    /// Classifies a transport error from `WebSocketClient.connect`.
    public init(_ error: WebSocketClientError) {
        if let status = error.refusalStatus {
            let body = error.refusalBody ?? ""
            let code = body.split(separator: ":", maxSplits: 1).first.map { String($0) } ?? ""
            let isCode = !code.isEmpty && code.allSatisfy { $0.isLowercase || $0 == "_" }
            self = .refused(status: status, code: isCode ? code : "")
        } else if let tls = error.tlsError {
            self = .insecure(tls)
        } else if error == .timedOut {
            self = .unreachable("the server did not answer in time")
        } else {
            self = .unreachable(error.description)
        }
    }

    /// A stable machine code (for `--json` output and scripts).
    public var code: String {
        switch kind {
        case .invalidAddress: "invalid_address"
        case .invalidRoom: "invalid_room"
        case .missingToken: "missing_token"
        case .unreachable: "unreachable"
        case .insecure(let problem, _): problem.code
        case .refused(let status, let code): code.isEmpty ? "http_\(status)" : code
        case .closed(let code, let reason): closeCode(code, reason)
        case .protocolFailure: "protocol_failure"
        case .severalRooms(_, let problem): problem.code
        }
    }

    private func closeCode(_ code: UInt16?, _ reason: String?) -> String {
        switch code {
        case nil: "connection_lost"
        case 4000?: reason.flatMap { $0.isEmpty ? nil : $0 } ?? "refused_on_arrival"
        case 4001?: "removed"
        case 4002?: "declined"
        case 4003?: "session_ended"
        case 4004?: "replaced"
        case 4005?: "idle_logged_off"
        case 4006?: "token_revoked"
        case 4007?: "too_many_reconnects"
        case 4008?: "room_moved"
        case let other?: "closed_\(other)"
        }
    }

    /// True when trying again later may work (a dropped connection, a draining or
    /// busy server); false when the person must do something first.
    public var isRetryable: Bool {
        switch kind {
        case .unreachable: true
        case .refused(let status, _): status == 503
        case .closed(let code, _):
            switch code {
            case nil, 1001?, 1006?, 1008?, 1011?, 1012?, 1013?, 4007?, 4008?: true
            default: false
            }
        default: false
        }
    }

    /// True while the room is moving between servers (503 `room_elsewhere`, close
    /// 4008 `room_moved`): it is back within seconds (the old server's lease runs
    /// out), so the client tries again at its first backoff step, not a growing one.
    public var isRoomMoving: Bool {
        switch kind {
        case .refused(let status, let code): status == 503 && code == "room_elsewhere"
        case .closed(let code, _): code == 4008
        default: false
        }
    }

    /// True when this is the session's normal end (or the member left).
    public var isNormalEnd: Bool {
        if case .closed(let code, _) = kind { return code == 4003 || code == 1000 }
        return false
    }

    /// The process exit status: 0 the session ended or the member left; 2 usage
    /// (address, room, token missing, a several-room join refused); 3 the token was refused; 4 no such room; 5 the
    /// room turned the member away (full, locked, removed, declined, replaced);
    /// 6 the server could not be reached or the connection could not be restored;
    /// 7 a protocol failure.
    public var exitStatus: Int32 {
        switch kind {
        case .invalidAddress, .invalidRoom, .missingToken, .severalRooms: 2
        case .unreachable, .insecure: 6
        case .refused(let status, _): status == 404 ? 4 : (status == 401 || status == 403) ? 3 : 6
        case .closed: isNormalEnd ? 0 : isRetryable ? 6 : 5
        case .protocolFailure: 7
        }
    }

    /// What happened and what to do next, in one or two sentences.
    public var description: String { "\(summary) \(advice)".trimmingCharacters() }

    /// What happened.
    public var summary: String {
        switch kind {
        case .invalidAddress(let url): "“\(url)” is not a server address."
        case .invalidRoom(let room): "“\(room)” is not a room name."
        case .missingToken: "No join token was given."
        case .unreachable: "The server could not be reached."
        case .insecure(let problem, let detail): problem.summary(detail: detail)
        case .refused(let status, let code): Self.refusalSummary(status: status, code: code)
        case .closed(let code, let reason): Self.closeSummary(code: code, reason: reason)
        case .protocolFailure: "The server sent something this version of iop does not understand."
        case .severalRooms(let room, let problem): problem.summary(room)
        }
    }

    /// What the person can do about it.
    public var advice: String {
        switch kind {
        case .invalidAddress: "Use the form wss://host:port, as given in your invitation."
        case .invalidRoom: "Use the room name from your invitation (letters, digits, dashes)."
        case .missingToken: "Pass --token-file FILE, set IOP_TOKEN, or type the token when asked."
        case .unreachable: "Check your internet connection and the address, then try again in a minute."
        case .insecure(let problem, _): problem.advice
        case .refused(let status, let code): Self.refusalAdvice(status: status, code: code)
        case .closed(let code, let reason): Self.closeAdvice(code: code, reason: reason)
        case .protocolFailure: "Update iop to the latest version; if it keeps happening, tell your program."
        case .severalRooms(_, let problem): problem.advice
        }
    }
}

extension String {
    /// Without leading and trailing spaces.
    func trimmingCharacters() -> String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
