import Dispatch
import Foundation
import SocketTransport

/// Whether `event` completes within `timeout`: a bounded wait on an event
/// (no polling). On the deadline the answer is `false` and `event` is left to
/// finish, or not, on its own.
public func completes(within timeout: Duration, _ event: @escaping @Sendable () async -> Void) async -> Bool {
    let answered = LockedValue(false)
    return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
        let answer: @Sendable (Bool) -> Void = { value in
            let first = answered.withLock { done in
                defer { done = true }
                return !done
            }
            if first { continuation.resume(returning: value) }
        }
        Task {
            await event()
            answer(true)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout.dispatch) { answer(false) }
    }
}
