import Glibc

/// A value guarded by a `pthread_mutex_t`. Swift's `Synchronization.Mutex`
/// would do, but ThreadSanitizer cannot see its locking (the standard library
/// is not instrumented) and reports every access it guards as a race;
/// `pthread_mutex_lock` is intercepted, so the sanitizer runs stay meaningful.
final class LockedValue<Value>: @unchecked Sendable {
    // `value` is read and written only while `mutex` is held.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: Value) {
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
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
