import Synchronization

/// Whether the server takes new work: `/readyz` answers from it. Set once, at
/// the start of a drain, and never cleared (a drained process exits).
public final class Readiness: Sendable {
    private let draining = Atomic<Bool>(false)

    /// Ready until `beginDraining`.
    public init() {}

    /// From now on the server reports itself as draining.
    public func beginDraining() {
        draining.store(true, ordering: .relaxed)
    }

    /// Whether a drain has begun.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }
}
