import Foundation

/// Runs blocking test code (socket reads with timeouts, sleeps, `DispatchQueue.sync`)
/// on a thread of its own, so it never holds one of the few threads of Swift's
/// cooperative pool, which the server under test needs to verify tokens.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
