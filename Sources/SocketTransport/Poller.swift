import CEpoll
import Glibc

/// What a watched descriptor should be reported for.
enum PollInterest: Equatable {
    /// Not watched (not registered with epoll at all).
    case none
    /// Input, end of stream and errors.
    case readable
    /// Writability only: a client socket whose connect is in progress.
    case writable
    /// Input and writability: an open connection with bytes the socket would not take.
    case readableAndWritable

    var epollEvents: UInt32 {
        switch self {
        case .none: 0
        case .readable: EPOLLIN.rawValue
        case .writable: EPOLLOUT.rawValue
        case .readableAndWritable: EPOLLIN.rawValue | EPOLLOUT.rawValue
        }
    }
}

/// Told by a `Poller` what its descriptor is ready for. On the loop.
protocol PollWatcher: AnyObject {
    /// `readable`: input, end of stream or an error; `writable`: room to write
    /// (reported only when asked for) or an error. Errors and hang-ups set both,
    /// so a failed connect is noticed; the watcher ignores what it did not ask for.
    func pollerReported(readable: Bool, writable: Bool)
}

/// One epoll instance per event loop, level-triggered; the loop's thread
/// waits in it (`poll(timeoutMilliseconds:)`).
///
/// Sockets are added, changed and removed with direct `epoll_ctl` calls on
/// the loop. Everything is confined to the loop's thread.
final class Poller {
    private let epollDescriptor: Int32
    private var watchers: [Int32: any PollWatcher] = [:]
    private let events: UnsafeMutableBufferPointer<epoll_event>
    /// Cleared for good the first time the kernel says it has no `epoll_pwait2`.
    private var hasPreciseWait = true

    /// Creates the epoll instance.
    init(batchSize: Int = 256) {
        epollDescriptor = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epollDescriptor >= 0, "epoll_create1 failed: errno \(errno)")
        events = .allocate(capacity: batchSize)
    }

    deinit {
        events.deallocate()
        Glibc.close(epollDescriptor)
    }

    /// Changes what `fd` is watched for, from `old` to `new` (adding it to or
    /// removing it from the epoll set as needed). Returns false, with errno
    /// set, if epoll refused.
    @discardableResult
    func watch(_ fd: Int32, by watcher: any PollWatcher, from old: PollInterest, to new: PollInterest) -> Bool {
        guard old != new else { return true }
        var event = epoll_event()
        event.events = new.epollEvents
        event.data.fd = fd
        let operation: Int32
        switch (old, new) {
        case (.none, _): operation = EPOLL_CTL_ADD
        case (_, .none): operation = EPOLL_CTL_DEL
        default: operation = EPOLL_CTL_MOD
        }
        let succeeded = epoll_ctl(epollDescriptor, operation, fd, &event) == 0
        if new == .none {
            watchers[fd] = nil
        } else if succeeded {
            watchers[fd] = watcher
        }
        return succeeded
    }

    /// Waits up to `timeoutNanoseconds` (-1: for ever, 0: not at all) for
    /// ready descriptors and tells their watchers, one batch at most. What is
    /// still ready afterwards (level-triggered) is reported by the next call.
    func poll(timeoutNanoseconds: Int64) {
        let count = wait(timeoutNanoseconds: timeoutNanoseconds)
        guard count > 0 else { return }
        let errorBits = EPOLLERR.rawValue | EPOLLHUP.rawValue
        for index in 0..<Int(count) {
            let event = events[index]
            // A watcher removed earlier in this batch is not told (its fd is
            // still open until its connection finishes, so it cannot be reused yet).
            guard let watcher = watchers[event.data.fd] else { continue }
            let bits = event.events
            watcher.pollerReported(
                readable: bits & (EPOLLIN.rawValue | errorBits) != 0,
                writable: bits & (EPOLLOUT.rawValue | errorBits) != 0)
        }
    }

    /// `epoll_pwait2(2)` (a timeout in nanoseconds, Linux 5.11) when there is
    /// a timeout, else `epoll_wait(2)`; on an older kernel, `epoll_wait` with
    /// the timeout rounded up to a millisecond.
    private func wait(timeoutNanoseconds: Int64) -> Int32 {
        let capacity = Int32(events.count)
        guard timeoutNanoseconds > 0 else {
            return epoll_wait(epollDescriptor, events.baseAddress, capacity, timeoutNanoseconds < 0 ? -1 : 0)
        }
        if hasPreciseWait {
            var timeout = timespec(
                tv_sec: Int(timeoutNanoseconds / 1_000_000_000), tv_nsec: Int(timeoutNanoseconds % 1_000_000_000))
            let count = epoll_pwait2(epollDescriptor, events.baseAddress, capacity, &timeout, nil)
            if count >= 0 || errno != ENOSYS { return count }
            hasPreciseWait = false
        }
        let milliseconds = Int32(clamping: (timeoutNanoseconds + 999_999) / 1_000_000)
        return epoll_wait(epollDescriptor, events.baseAddress, capacity, milliseconds)
    }

}
