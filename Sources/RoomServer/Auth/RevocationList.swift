import Foundation

/// Revoked token ids. In memory for now; durable storage comes with the
/// operations work (the admin API and `iopctl token revoke`).
public final class RevocationList: @unchecked Sendable {
    // `revoked` is guarded by `lock`.
    private let lock = NSLock()
    private var revoked: Set<String> = []

    /// Creates an empty list.
    public init() {}

    /// Revokes a token id.
    public func revoke(_ tokenID: String) {
        _ = lock.withLock { revoked.insert(tokenID) }
    }

    /// Whether a token id is revoked.
    public func contains(_ tokenID: String) -> Bool {
        lock.withLock { revoked.contains(tokenID) }
    }
}
