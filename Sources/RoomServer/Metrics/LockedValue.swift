import Foundation

/// A value behind an `NSLock` (not `Synchronization.Mutex`: ThreadSanitizer
/// reports false races on it here, see STYLE.md §4).
final class LockedValue<Value: Sendable>: @unchecked Sendable {
    // `value` is read and written only while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value.
    var current: Value { withLock { $0 } }
}
