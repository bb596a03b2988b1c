import Dispatch
import Glibc

/// Kills the process if a benchmark driver is stuck past its hard timeout,
/// so no run can hang a script.
public final class Watchdog {
    private let timer: any DispatchSourceTimer

    /// Exits the process with status 3 after `seconds`, unless released first.
    public init(seconds: Double, name: String) {
        timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(Int(seconds * 1000)))
        let message = "\(name): driver stuck past the hard timeout, exiting\n"
        timer.setEventHandler {
            _ = message.withCString { write(2, $0, strlen($0)) }
            _exit(3)
        }
        timer.resume()
    }

    deinit { timer.cancel() }
}
