import RoomCore
import SocketTransport

/// Revoked token ids: the in-memory view every upgrade checks. Filled at start
/// from the durable revocations (`RevocationStore`) and added to by the admin
/// API after each revocation has been written.
public final class RevocationList: Sendable {
    private let revoked: LockedValue<Set<String>>

    /// Creates a list holding `tokenIDs` (empty by default).
    public init(_ tokenIDs: some Sequence<String> = []) {
        revoked = LockedValue(Set(tokenIDs))
    }

    /// Revokes a token id; returns false if it was revoked already.
    @discardableResult
    public func revoke(_ tokenID: String) -> Bool {
        revoked.withLock { $0.insert(tokenID).inserted }
    }

    /// Whether a token id is revoked.
    public func contains(_ tokenID: String) -> Bool {
        revoked.withLock { $0.contains(tokenID) }
    }

    /// How many token ids are revoked.
    public var count: Int { revoked.withLock { $0.count } }
}

/// Where revocations are kept durably (the records database by default).
public protocol RevocationStore: Sendable {
    /// Every revoked token id, read at start-up.
    func revokedTokenIDs() throws -> [String]
    /// Keeps the revocation of `tokenID` by the operator `actor` at `time`;
    /// durable when it returns. Revoking twice keeps the first row.
    func storeRevocation(of tokenID: String, by actor: String, at time: Timestamp) throws
}

extension InMemoryRecordStore: RevocationStore {
    /// Nothing survives the process: tests only.
    public func revokedTokenIDs() throws -> [String] { [] }
    /// Nothing to keep (the `RevocationList` holds it for the process).
    public func storeRevocation(of tokenID: String, by actor: String, at time: Timestamp) throws {}
}
