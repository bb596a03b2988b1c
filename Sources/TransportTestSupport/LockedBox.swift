import Foundation

/// A value guarded by a lock.
public final class LockedBox<Value>: @unchecked Sendable {
    // `storage` is guarded by `lock`.
    private let lock = NSLock()
    private var storage: Value

    /// Creates the box.
    public init(_ value: Value) {
        storage = value
    }

    /// The value.
    public var value: Value {
        get { lock.withLock { storage } }
        set { lock.withLock { storage = newValue } }
    }

    /// Reads and changes the value in one step (`value.append(x)` would read,
    /// then write, and lose a concurrent change in between).
    public func withValue<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        try lock.withLock { try body(&storage) }
    }
}
