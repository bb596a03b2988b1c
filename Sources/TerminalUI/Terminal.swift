import Glibc
import SocketTransport

/// The controlling terminal: raw mode through termios, the alternate screen, and
/// restoring both on every exit path (normal, signals, and a crash, through an
/// async-signal-safe handler).
public final class Terminal: Sendable {
    /// Whether raw mode and the alternate screen are on. The saved termios lives in
    /// `Terminal.saved` (written once in `enter`, before any handler that reads it is
    /// installed).
    private let active = LockedValue(false)

    /// True when both stdin and stdout are terminals.
    public static var isInteractive: Bool { isatty(0) == 1 && isatty(1) == 1 }

    /// Creates the terminal handle (nothing changes until `enter`).
    public init() {}

    /// The window size in cells (`ioctl(TIOCGWINSZ)`); 80×24 if unknown.
    public var size: (width: Int, height: Int) {
        var window = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else { return (80, 24) }
        return (Int(window.ws_col), Int(window.ws_row))
    }

    /// Raw mode (no echo, no line buffering, no signals from keys: Ctrl-C arrives as a
    /// key) and the alternate screen.
    public func enter() {
        active.withLock { active in
            guard !active else { return }
            var settings = termios()
            guard tcgetattr(0, &settings) == 0 else { return }
            Terminal.saved = settings
            Terminal.hasSaved = true
            settings.c_iflag &= ~tcflag_t(BRKINT | ICRNL | INPCK | ISTRIP | IXON)
            settings.c_oflag &= ~tcflag_t(OPOST)
            settings.c_cflag |= tcflag_t(CS8)
            settings.c_lflag &= ~tcflag_t(ECHO | ICANON | IEXTEN | ISIG)
            withUnsafeMutableBytes(of: &settings.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            tcsetattr(0, TCSAFLUSH, &settings)
            Terminal.write("\u{1B}[?1049h\u{1B}[H\u{1B}[2J")
            Terminal.installCrashHandlers()
            active = true
        }
    }

    /// Clears the screen and its scrollback, leaves the alternate screen, shows the
    /// cursor and restores the saved termios. Safe to call more than once.
    public func restore() {
        active.withLock { active in
            guard active else { return }
            active = false
            Terminal.restoreNow()
        }
    }

    /// Writes to stdout, all of it: retries on EINTR, and on EAGAIN waits with `poll(2)`
    /// (Dispatch makes the terminal non-blocking, and stdin and stdout share it).
    public static func write(_ text: String) {
        let bytes = Array(text.utf8)
        var offset = 0
        var stalls = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
                stalls = 0
                continue
            }
            guard written < 0, errno == EINTR || errno == EAGAIN, stalls < 50 else { return }
            stalls += 1
            var descriptor = pollfd(fd: 1, events: Int16(POLLOUT), revents: 0)
            _ = poll(&descriptor, 1, 100)  // bounded: at most 50 × 100 ms for a stuck terminal
        }
    }

    /// Async-signal-safe: only `write(2)` and `tcsetattr(3)` on preallocated data.
    fileprivate static func restoreNow() {
        resetBytes.withUnsafeBytes { _ = Glibc.write(1, $0.baseAddress, $0.count) }
        if hasSaved { tcsetattr(0, TCSAFLUSH, &saved) }
    }

    /// Reset attributes, clear screen and scrollback, leave the alternate screen, show the cursor.
    private static let resetBytes: [UInt8] = Array("\u{1B}[0m\u{1B}[H\u{1B}[2J\u{1B}[3J\u{1B}[?1049l\u{1B}[?25h".utf8)
    // Written once in `enter` before the crash handlers are installed, then only read.
    nonisolated(unsafe) fileprivate static var saved = termios()
    nonisolated(unsafe) fileprivate static var hasSaved = false

    /// On a crash (trap, segfault, abort) restore the terminal, then die as before.
    private static func installCrashHandlers() {
        for signalNumber in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(signalNumber) { number in
                Terminal.restoreNow()
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }
}
