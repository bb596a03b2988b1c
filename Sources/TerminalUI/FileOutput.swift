import Glibc
import SocketTransport

/// Whole lines to a file descriptor, one writer at a time, flushed at once
/// (line mode is read by scripts and screen readers as it happens).
public final class FileOutput: Sendable {
    /// Standard output.
    public static let standardOutput = FileOutput(descriptor: 1)
    /// Standard error.
    public static let standardError = FileOutput(descriptor: 2)

    private let descriptor: Int32
    /// Held while a line is written, so lines from several threads never interleave.
    private let lock = LockedValue(())

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Writes `text` and a newline.
    public func write(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        lock.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
