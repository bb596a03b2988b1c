import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The terminal's alternate screen with the cursor hidden, left again on
/// `leave`, on Ctrl-C (SIGINT) and on SIGTERM, so the operator's shell comes
/// back as it was.
public final class AlternateScreen: @unchecked Sendable {
    // `sources` is set once in `init` and never changed; `left` is atomic.
    private var sources: [any DispatchSourceSignal] = []
    private let left = Atomic<Bool>(false)

    /// Enters the alternate screen, hides the cursor and leaves again on SIGINT or SIGTERM.
    public init() {
        write("\u{1B}[?1049h\u{1B}[?25l")
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                leave()
                exit(0)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Clears the screen and draws `lines` from the top-left corner.
    public func draw(_ lines: [String]) {
        write("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\r\n") + "\r\n")
    }

    /// Shows the cursor and returns to the normal screen (once).
    public func leave() {
        let alreadyLeft = left.exchange(true, ordering: .acquiringAndReleasing)
        if !alreadyLeft { write("\u{1B}[?25h\u{1B}[?1049l") }
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
