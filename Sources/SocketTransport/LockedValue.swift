import Glibc

/// A value behind a `pthread_mutex_t`, for state shared between threads (the
/// work other threads queue on an event loop, a room's published load, the
/// records writer's queue). Not `Synchronization.Mutex`: ThreadSanitizer cannot
/// see its locking and reports false races (STYLE.md §4); `pthread_mutex_lock`
/// is intercepted, so sanitizer runs stay readable.
public final class LockedValue<Value: Sendable>: @unchecked Sendable {
    // `value` is read and written only while `mutex` is held.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// Guards `value`.
    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// A copy of the value.
    public var current: Value { withLock { $0 } }
}
