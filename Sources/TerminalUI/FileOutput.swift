import Glibc
import RoomClient

/// Whole lines to a file descriptor, one writer at a time, flushed at once
/// (line mode is read by scripts and screen readers as it happens).
final class FileOutput: Sendable {
    /// Standard output.
    static let standardOutput = FileOutput(descriptor: 1)
    /// Standard error.
    static let standardError = FileOutput(descriptor: 2)

    private let descriptor: Int32
    private let lock = ClientLock()

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Writes `text` and a newline.
    func write(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        lock.withLock {
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
