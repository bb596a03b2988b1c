import RoomCore
import SocketTransport
import WebSocketCore

/// The open room connections by the token (`jti`) that opened them, so a
/// revocation can close them at once and the admin roster can name the token
/// behind each connected member. Holds ids and connections only.
public final class ConnectionRegistry: Sendable {
    private let entries = LockedValue<[ObjectIdentifier: Entry]>([:])

    private struct Entry: Sendable {
        var tokenID: String
        var member: MemberID
        var host: RoomHost
        var connection: WebSocketConnection
    }

    /// Creates an empty registry.
    public init() {}

    /// A member's connection opened with `tokenID`; `key` identifies it until `closed`.
    func opened(
        _ key: ObjectIdentifier, tokenID: String, member: MemberID, host: RoomHost, connection: WebSocketConnection
    ) {
        entries.withLock { entries in
            entries[key] = Entry(tokenID: tokenID, member: member, host: host, connection: connection)
        }
    }

    /// The connection `key` closed.
    func closed(_ key: ObjectIdentifier) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// Closes every open connection of `tokenID` with `code` (through its
    /// room's loop, after replies already due); returns how many.
    func close(tokenID: String, code: CloseCode, reason: String) -> Int {
        let matching = entries.withLock { $0.values.filter { $0.tokenID == tokenID } }
        for entry in matching { entry.host.close(entry.connection, code: code, reason: reason) }
        return matching.count
    }

    /// The token id behind each connected member of `room`.
    func tokenIDs(room: String) -> [MemberID: String] {
        entries.withLock { entries in
            var result: [MemberID: String] = [:]
            for entry in entries.values where entry.host.id == room { result[entry.member] = entry.tokenID }
            return result
        }
    }

    /// Open room connections tracked.
    public var count: Int { entries.withLock { $0.count } }
}

/// A member's room connection as the registry sees it: forwards every
/// callback to the `MemberSession` and keeps the registry up to date.
final class TrackedMemberSession: WebSocketHandler, @unchecked Sendable {
    // Immutable after `init`; the wrapped session keeps its own confinement.
    private let session: MemberSession
    private let tokenID: String
    private let registry: ConnectionRegistry
    private let revocations: RevocationList
    private let host: RoomHost

    init(
        session: MemberSession, tokenID: String, host: RoomHost, registry: ConnectionRegistry,
        revocations: RevocationList
    ) {
        self.session = session
        self.tokenID = tokenID
        self.host = host
        self.registry = registry
        self.revocations = revocations
    }

    func webSocketDidOpen(_ connection: WebSocketConnection) {
        registry.opened(
            ObjectIdentifier(self), tokenID: tokenID, member: session.identity.id, host: host, connection: connection)
        session.webSocketDidOpen(connection)
        // Revoked between the token check and the handshake's end: close it now.
        if revocations.contains(tokenID) {
            host.close(connection, code: RoomCloseCode.revoked, reason: "token revoked")
        }
    }

    func webSocket(_ connection: WebSocketConnection, didReceive message: WebSocketMessage) {
        session.webSocket(connection, didReceive: message)
    }

    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?) {
        registry.closed(ObjectIdentifier(self))
        session.webSocketDidClose(connection, code: code)
    }

    func webSocketDidClose(_ connection: WebSocketConnection, code: CloseCode?, reason: String) {
        registry.closed(ObjectIdentifier(self))
        session.webSocketDidClose(connection, code: code, reason: reason)
    }
}
