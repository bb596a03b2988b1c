import CMalloc
import Dispatch

/// glibc's allocator keeps freed memory in per-thread arenas and hands little of it
/// back: after a 10,000-member soak round the server held 1 GB of which 245 MB was in
/// use. Two arenas for our few hot threads, and a trim every minute and as soon as the
/// last connection has gone (a day's groups are over), return what finished sessions
/// freed (docs/OPERATIONS.md "Memory").
public enum MemoryTrim {
    /// At most two malloc arenas (`mallopt(M_ARENA_MAX, 2)`); call before other threads start.
    public static func limitArenas() {
        _ = mallopt(M_ARENA_MAX, 2)
    }

    /// Checks every 5 s; calls `malloc_trim(0)` every 12th check (once a minute), or
    /// when `openConnections` has dropped to zero since the last check. Cancel the
    /// returned timer to stop.
    public static func start(openConnections: @escaping @Sendable () -> Int) -> any DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "iopd.trim", qos: .utility))
        let state = TrimState()
        timer.schedule(deadline: .now() + 5, repeating: 5, leeway: .seconds(1))
        timer.setEventHandler {
            if state.shouldTrim(open: openConnections()) { _ = malloc_trim(0) }
        }
        timer.resume()
        return timer
    }

    /// The trim timer's memory.
    private final class TrimState: @unchecked Sendable {
        // Touched only on the timer's serial queue ("iopd.trim").
        private var policy = TrimPolicy()

        func shouldTrim(open: Int) -> Bool { policy.shouldTrim(open: open) }
    }
}

/// When to trim: every 12th check (once a minute at one check per 5 s), and at the
/// first check that finds no connection open after one that found some.
struct TrimPolicy {
    private var checks = 0
    private var previouslyOpen = 0

    /// One check with `open` connections; true when it is time to trim.
    mutating func shouldTrim(open: Int) -> Bool {
        checks += 1
        defer { previouslyOpen = open }
        return checks % 12 == 0 || (open == 0 && previouslyOpen > 0)
    }
}
