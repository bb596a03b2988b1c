import Glibc

/// Starts the threads event loops run on (`pthread_create`), and the
/// thread-specific key (`pthread_key_create`) naming the loop a thread runs.
enum LoopThread {
    /// Holds, on a loop's thread, an unretained pointer to its `EventLoop`.
    static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// Starts a detached thread named `name` (Linux keeps 15 bytes) that runs `body`.
    static func start(name: String, _ body: @escaping () -> Void) {
        let box = Unmanaged.passRetained(
            Body {
                nameCurrentThread(name)
                body()
            }
        ).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { pointer in
                let body = Unmanaged<Body>.fromOpaque(pointer!).takeRetainedValue()
                body.run()
                return nil
            }, box)
        precondition(status == 0, "pthread_create failed: \(status)")
        pthread_detach(thread)
    }

    /// Names the calling thread for `top -H`, `perf` and debuggers by writing
    /// `/proc/thread-self/comm` (`pthread_setname_np` is not visible from Swift's Glibc).
    private static func nameCurrentThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var bytes = Array(name.utf8.suffix(15))
        _ = write(fd, &bytes, bytes.count)
    }

    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }
}
