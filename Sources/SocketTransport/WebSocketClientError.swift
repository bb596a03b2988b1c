/// Why a client could not open a WebSocket.
public struct WebSocketClientError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case connectFailed(SocketError)
        case refused(status: Int, body: String)
        case invalidHandshake(String)
        case timedOut
        case closedDuringHandshake
        case tls(TLSError)
    }

    private let kind: Kind

    /// The TCP connection could not be made (e.g. connection refused).
    public static func connectFailed(_ error: SocketError) -> Self { Self(kind: .connectFailed(error)) }
    /// The server answered the upgrade with an HTTP status instead of 101.
    public static func refused(status: Int, body: String) -> Self { Self(kind: .refused(status: status, body: body)) }
    /// The server's 101 response broke RFC 6455 §4.1.
    public static func invalidHandshake(_ reason: String) -> Self { Self(kind: .invalidHandshake(reason)) }
    /// The handshake did not finish within the handshake timeout.
    public static let timedOut = Self(kind: .timedOut)
    /// The server closed the connection before the handshake finished.
    public static let closedDuringHandshake = Self(kind: .closedDuringHandshake)
    /// TLS failed: the server's certificate was refused (unknown CA, wrong host
    /// name, expired) or the handshake broke down; `tlsError` says which.
    public static func tls(_ error: TLSError) -> Self { Self(kind: .tls(error)) }

    /// The TLS failure, if that is why the client could not connect.
    public var tlsError: TLSError? {
        if case .tls(let error) = kind { return error }
        return nil
    }

    /// The HTTP status of a refusal, if the server sent one.
    public var refusalStatus: Int? {
        if case .refused(let status, _) = kind { return status }
        return nil
    }

    /// The body of a refusal (the server's reason), if any.
    public var refusalBody: String? {
        if case .refused(_, let body) = kind { return body }
        return nil
    }

    /// A human description.
    public var description: String {
        switch kind {
        case .connectFailed(let error): "could not connect: \(error)"
        case .refused(let status, let body): "server refused with \(status): \(body)"
        case .invalidHandshake(let reason): "invalid handshake response: \(reason)"
        case .timedOut: "handshake timed out"
        case .closedDuringHandshake: "server closed the connection during the handshake"
        case .tls(let error): "TLS: \(error)"
        }
    }
}
