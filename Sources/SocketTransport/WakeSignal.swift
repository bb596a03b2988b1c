import CEpoll
import Glibc

/// An `eventfd(2)` in a loop's epoll set: another thread signals it to wake
/// the loop from `epoll_wait` when it queues work there.
final class WakeSignal: PollWatcher {
    /// The eventfd (non-blocking, closed on exec).
    let descriptor: Int32

    init() {
        descriptor = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(descriptor >= 0, "eventfd failed: errno \(errno)")
    }

    deinit { Glibc.close(descriptor) }

    /// Wakes the loop (any thread). Signals before the loop reads add up to one wake-up.
    func signal() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { Glibc.write(descriptor, $0.baseAddress, 8) }
    }

    /// The loop woke: resets the counter, so the descriptor is quiet until the next signal.
    func pollerReported(readable: Bool, writable: Bool) {
        var count: UInt64 = 0
        _ = withUnsafeMutableBytes(of: &count) { Glibc.read(descriptor, $0.baseAddress, 8) }
    }
}
