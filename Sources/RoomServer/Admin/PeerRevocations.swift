import RoomCore
import SocketTransport

/// Applies the revocations the records database announces (every node's,
/// through ``PostgreSQLChangeFeed``): each token id not yet revoked here
/// is refused from now on and its open connections close with 4006. The
/// ones this node is revoking itself at that moment are left to the admin
/// route that revokes them (it counts what it closed and may keep a
/// connection open, as an invitation reissue does).
public final class PeerRevocations: Sendable {
    private let revocations: RevocationList
    private let registry: ConnectionRegistry
    /// Token ids the admin routes of this node are revoking now, with how many routes.
    private let local = LockedValue<[String: Int]>([:])

    /// Applies to `revocations` and closes through `registry`.
    public init(revocations: RevocationList, registry: ConnectionRegistry) {
        self.revocations = revocations
        self.registry = registry
    }

    /// Applies announced revocations; returns how many were new here.
    @discardableResult
    public func apply(_ tokenIDs: [String]) -> Int {
        var fresh = 0
        for tokenID in tokenIDs where !isLocal(tokenID) && revocations.revoke(tokenID) {
            fresh += 1
            _ = registry.close(tokenID: tokenID, code: RoomCloseCode.revoked, reason: "token revoked")
        }
        return fresh
    }

    /// Runs `body` (which stores, refuses and closes `tokenIDs` itself) with
    /// their announcements ignored meanwhile.
    func revokingLocally<T>(_ tokenIDs: [String], _ body: () throws -> T) rethrows -> T {
        local.withLock { for id in tokenIDs { $0[id, default: 0] += 1 } }
        defer {
            local.withLock { local in
                for id in tokenIDs {
                    let left = (local[id] ?? 1) - 1
                    local[id] = left > 0 ? left : nil
                }
            }
        }
        return try body()
    }

    private func isLocal(_ tokenID: String) -> Bool {
        local.withLock { $0[tokenID] != nil }
    }
}
