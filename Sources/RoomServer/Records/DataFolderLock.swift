import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock(2)` on a file next to the records database, held for
/// the store's lifetime, so a second `iopd` started on the same data folder
/// fails at once instead of "recovering" the running server's open attendance.
/// The kernel releases it when the process dies, `kill -9` included.
final class DataFolderLock {
    private let descriptor: Int32

    /// Takes the lock (`open(2)` with mode 0600, then `flock(LOCK_EX | LOCK_NB)`).
    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw SettingsError.unusableFile(path, role: "data folder lock", reason: String(cString: strerror(errno)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw SettingsError.unusableFile(
                path, role: "data folder lock", reason: "another iopd is using this data folder")
        }
    }

    deinit {
        close(descriptor)  // releases the flock
    }
}
